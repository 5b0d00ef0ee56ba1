"""Prepare the process for Kivy. Must run before the first `import kivy`.

Headless runs use SDL's offscreen video driver: a real window with real OpenGL (Mesa)
rendering and real touch dispatch, just not shown on a monitor.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path


class NoDisplay(Exception):
    pass


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def has_sound_card() -> bool:
    return Path("/dev/snd").is_dir() and any(Path("/dev/snd").glob("pcm*"))


def prepare(headless: bool, size: tuple[int, int], data: Path, fullscreen: bool = False) -> None:
    if not headless and not has_display() and os.environ.get("SDL_VIDEODRIVER") != "offscreen":
        raise NoDisplay("no display found (DISPLAY is not set); use --headless to run in a virtual screen")
    os.environ["KIVY_WINDOW"] = "sdl2"          # never fall back to the x11 provider (exit 102)
    os.environ["KIVY_NO_ARGS"] = "1"
    # Kivy logs through Python logging like the rest of the kiosk; its start-up chatter
    # (config upgrade on a new KIVY_HOME, GL details) only with -v.
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    verbose = logging.getLogger().level <= logging.INFO
    os.environ["KCFG_KIVY_LOG_LEVEL"] = "info" if verbose else "error"
    os.environ["KIVY_NO_CONSOLELOG"] = os.environ.get("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    # Every setting the kiosk needs is set below: no config.ini to read, write or "upgrade"
    # (which warned on the first start with each new data directory).
    os.environ.setdefault("KIVY_NO_CONFIG", "1")
    kivy_home = _kivy_home(data)
    os.environ["KIVY_HOME"] = str(kivy_home)
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "offscreen"
    if headless or not has_sound_card():
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from kivy.config import Config
    Config.set("graphics", "width", str(size[0]))
    Config.set("graphics", "height", str(size[1]))
    Config.set("graphics", "resizable", "0")
    # No multisample anti-aliasing: Kivy's default (2x) makes the GL driver keep about eight
    # window-sized buffers (63 MB at 1920x1080 with Mesa) and doubles the fill work of every
    # frame on software GL. Curved shapes use Kivy's Smooth* instructions instead.
    Config.set("graphics", "multisamples", str(_msaa()))
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")


def _kivy_home(data: Path) -> Path:
    """Kivy's folder in the data directory; a temporary one when that is full or read-only
    (the kiosk must start anyway: the log waits and retries)."""
    home = data / "kivy"
    try:
        home.mkdir(parents=True, exist_ok=True)
        return home
    except OSError as e:
        import tempfile
        tmp = Path(tempfile.mkdtemp(prefix="hcc-kiosk-kivy-"))
        logging.getLogger("kiosk").error("cannot use %s (%s); Kivy uses %s", home, e, tmp)
        return tmp


def _msaa() -> int:
    """KIOSK_MSAA: samples per pixel (0, 2, 4, 8); anything else is ignored, never a crash."""
    raw = os.environ.get("KIOSK_MSAA", "0").strip() or "0"
    if raw in ("0", "2", "4", "8"):
        return int(raw)
    logging.getLogger("kiosk").warning("KIOSK_MSAA=%r is not 0, 2, 4 or 8; anti-aliasing stays off", raw)
    return 0
