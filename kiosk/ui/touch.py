"""A synthetic single-finger touch dispatched through Kivy's real input path.

Like kivy.tests.common.UnitTestTouch, but without importing pytest (not installed on a kiosk).
"""

from kivy.base import EventLoop
from kivy.input.motionevent import MotionEvent


class Touch(MotionEvent):
    def __init__(self, x: float, y: float):
        win = EventLoop.window
        super().__init__("KioskTouch", 98, {"x": x / (win.width - 1.0), "y": y / (win.height - 1.0)},
                         is_touch=True, type_id="touch")
        self.profile = ["pos"]

    def depack(self, args):
        self.sx, self.sy = args["x"], args["y"]
        super().depack(args)

    def tap(self) -> None:
        """Press and release: buttons act on release only."""
        EventLoop.post_dispatch_input("begin", self)
        EventLoop.post_dispatch_input("end", self)


def tap_widget(widget) -> None:
    x, y = widget.to_window(*widget.center)
    Touch(x, y).tap()
