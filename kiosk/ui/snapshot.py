"""The window's pixels to a PNG file.

Kivy's ``Window.screenshot`` reads rows with OpenGL's default 4-byte row alignment, so at
widths whose RGB rows are not a multiple of 4 bytes (1366 px: 4098 bytes) the image comes out
skewed. Reading with an alignment of 1 gives the rows exactly as drawn.
"""

from __future__ import annotations

from pathlib import Path


def save_window_png(path: Path) -> None:
    """The window's pixels as drawn now, to a PNG (Pillow; fast compression)."""
    from kivy.core.window import Window
    from kivy.graphics.opengl import GL_PACK_ALIGNMENT, GL_RGB, GL_UNSIGNED_BYTE, glPixelStorei, glReadPixels
    from PIL import Image as PILImage
    w, h = (int(v) for v in Window.size)
    glPixelStorei(GL_PACK_ALIGNMENT, 1)
    data = glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE)
    img = PILImage.frombytes("RGB", (w, h), data).transpose(PILImage.Transpose.FLIP_TOP_BOTTOM)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.png")
    img.save(tmp, compress_level=3)
    tmp.replace(path)
