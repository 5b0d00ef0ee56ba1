"""The receipt printer named by ``KIOSK_PRINTER``, through python-escpos.

    usb:VID:PID          e.g. usb:04b8:0e15 (hex, as `lsusb` prints them)
    file:PATH            a device file such as /dev/usb/lp0 (or any file, for tests)
    network:HOST[:PORT]  a network printer (port 9100 unless given)

Every failure becomes a ``PrinterError`` with an English message for the log; the kiosk then says
plainly on screen that nothing was printed and carries on (the flow decides the wording).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from PIL import Image

log = logging.getLogger("kiosk.printer")

ENV = "KIOSK_PRINTER"
#: python-escpos printer profile: it gives the paper width in dots. TM-T20II is the common 80 mm
#: model (576 dots); POS-5890 is a common 58 mm one (384 dots).
PROFILE_ENV = "KIOSK_PRINTER_PROFILE"
DEFAULT_PROFILE = "TM-T20II"
DEFAULT_PORT = 9100
#: seconds to wait for a network printer before giving up (a visitor is waiting)
NETWORK_TIMEOUT = 5


class PrinterError(Exception):
    """Nothing (or not everything) was printed. English message for logs and the CLI."""


@dataclass(frozen=True)
class PrinterSpec:
    kind: str          # "usb", "file" or "network"
    target: str        # "04b8:0e15", a path, or a host
    port: int | None = None

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}" + (f":{self.port}" if self.port else "")


def parse_spec(text: str) -> PrinterSpec:
    kind, _, rest = text.strip().partition(":")
    kind = kind.lower()
    if kind == "file" and rest:
        return PrinterSpec("file", rest)
    if kind == "usb":
        vid, _, pid = rest.partition(":")
        try:
            int(vid, 16), int(pid, 16)
        except ValueError:
            raise PrinterError(f"{ENV}={text!r}: usb needs VID:PID in hex, e.g. usb:04b8:0e15") from None
        return PrinterSpec("usb", f"{vid.lower()}:{pid.lower()}")
    if kind == "network" and rest:
        host, _, port = rest.rpartition(":") if rest.count(":") == 1 else (rest, "", "")
        try:
            number = int(port) if port else DEFAULT_PORT
        except ValueError:
            raise PrinterError(f"{ENV}={text!r}: the port must be a number") from None
        if not host or not 0 < number < 65536:
            raise PrinterError(f"{ENV}={text!r}: expected network:HOST[:PORT]")
        return PrinterSpec("network", host, number)
    raise PrinterError(f"{ENV}={text!r}: expected usb:VID:PID, file:PATH or network:HOST[:PORT]")


def configured() -> PrinterSpec | None:
    """The printer from the environment; None when none is set (no printer is a normal case).
    A malformed setting raises ``PrinterError``."""
    text = os.environ.get(ENV, "").strip()
    return parse_spec(text) if text else None


def profile_name() -> str:
    return os.environ.get(PROFILE_ENV, "").strip() or DEFAULT_PROFILE


def paper_width() -> int:
    """Dots across the paper for the configured profile (what a slip is drawn at)."""
    from escpos.capabilities import get_profile
    try:
        return int(get_profile(profile_name()).profile_data["media"]["width"]["pixels"])
    except Exception as e:  # unknown profile name, or a profile without a width
        raise PrinterError(f"{PROFILE_ENV}={profile_name()!r}: no known paper width ({e})") from e


def _open(spec: PrinterSpec):
    from escpos import printer
    profile = profile_name()
    if spec.kind == "file":
        return printer.File(devfile=spec.target, auto_flush=False, profile=profile)
    if spec.kind == "network":
        return printer.Network(host=spec.target, port=spec.port, timeout=NETWORK_TIMEOUT,
                               profile=profile)
    vid, pid = (int(x, 16) for x in spec.target.split(":"))
    return printer.Usb(vid, pid, profile=profile)


def print_image(spec: PrinterSpec, image: Image.Image) -> None:
    """Send one slip: the image as ESC/POS raster (GS v 0), then feed and cut."""
    try:
        dev = _open(spec)
        try:
            dev.image(image, impl="bitImageRaster")
            dev.cut()
            if hasattr(dev, "flush"):
                dev.flush()
        finally:
            dev.close()
    except Exception as e:  # python-escpos, pyusb and sockets each raise their own kinds
        log.warning("printer %s failed: %s: %s", spec, type(e).__name__, e)
        raise PrinterError(f"printer {spec}: {type(e).__name__}: {e}") from e


def status(spec: PrinterSpec | None) -> dict:
    """For `kiosk doctor`: is the printer there? Prints nothing on paper."""
    if spec is None:
        return {"ok": False, "detail": f"no printer ({ENV} is not set): queue numbers are shown on screen only"}
    try:
        dev = _open(spec)
        dev.open()
        dev.close()
    except Exception as e:
        return {"ok": False, "printer": str(spec), "detail": f"not reachable: {type(e).__name__}: {e}"}
    return {"ok": True, "printer": str(spec), "detail": f"ready ({profile_name()}, {paper_width()} dots)"}
