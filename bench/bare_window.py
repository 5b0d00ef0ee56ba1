"""A bare Kivy window with one label: the baseline for the kiosk's cold start."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kiosk.ui.env import prepare  # noqa: E402  (same environment as the kiosk)

prepare(True, (1920, 1080), Path(os.environ.get("KIOSK_DATA", "/tmp/kiosk-bench")))
from kivy.app import App  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.graphics.opengl import glFinish  # noqa: E402
from kivy.uix.label import Label  # noqa: E402


class Bare(App):
    def build(self):
        Window.bind(on_flip=self.flipped)
        return Label(text="Xin chào")

    def flipped(self, *_):
        glFinish()  # drawn, not just queued: the kiosk finishes each offscreen frame too
        print(f"first-frame {time.time():.6f}", flush=True)
        Window.unbind(on_flip=self.flipped)
        self.stop()


Bare().run()
