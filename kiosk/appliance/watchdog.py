"""systemd's notify protocol (sd_notify): READY=1 once, then WATCHDOG=1 from the main loop.

The protocol is one datagram per message on the AF_UNIX socket named by $NOTIFY_SOCKET
(a leading "@" means Linux's abstract namespace). It is a few lines, so it is written here
rather than taken from a package: `sdnotify` has had no release since 2019 and
`systemd-python` needs a C build against libsystemd-dev on every machine.

The pings must come from the Kivy main loop (a Clock interval), never from a thread: a frozen
loop must stop them, so that systemd restarts a hung kiosk and not only a crashed one.
"""

from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger("kiosk.watchdog")


class Notifier:
    """Talks to systemd when started by it (Type=notify); does nothing otherwise."""

    def __init__(self, address: str | None, watchdog_usec: int | None = None):
        self.address = _socket_address(address) if address else None
        self.watchdog_usec = watchdog_usec
        self._sock: socket.socket | None = None

    @classmethod
    def from_env(cls, environ=os.environ) -> "Notifier":
        return cls(environ.get("NOTIFY_SOCKET") or None, _watchdog_usec(environ))

    @property
    def active(self) -> bool:
        return self.address is not None

    def ping_interval(self) -> float | None:
        """Seconds between pings: half the watchdog time, as sd_watchdog_enabled(3) advises."""
        if not self.active or not self.watchdog_usec:
            return None
        return self.watchdog_usec / 2 / 1_000_000

    def send(self, message: str) -> bool:
        if not self.active:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto(message.encode("utf-8"), self.address)
            return True
        except OSError as e:  # systemd gone or socket full: the kiosk itself must go on
            log.warning("cannot notify systemd (%s): %s", message.split("=")[0], e)
            return False

    def ready(self, status: str = "") -> bool:
        return self.send("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def ping(self) -> bool:
        return self.send("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.send("STOPPING=1")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def _socket_address(name: str) -> str | bytes:
    if name.startswith("@"):  # abstract namespace: a leading NUL byte, no file
        return b"\0" + name[1:].encode()
    return name


def _watchdog_usec(environ) -> int | None:
    """$WATCHDOG_USEC, if it is meant for this process.

    systemd sets $WATCHDOG_PID to the service's main process. In the appliance that is the
    compositor (cage), which starts the kiosk as its child; the unit has NotifyAccess=all, so
    the kiosk pings for its parent. Any other process inheriting the variables keeps quiet.
    """
    pid = (environ.get("WATCHDOG_PID") or "").strip()
    if pid and pid not in (str(os.getpid()), str(os.getppid())):
        return None
    try:
        usec = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec if usec > 0 else None
