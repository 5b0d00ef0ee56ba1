"""The systemd watchdog: the notify protocol on a fake NOTIFY_SOCKET, and the real kiosk's
pings, which stop while its main loop is frozen (so systemd would restart it)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.appliance.watchdog import Notifier
from tests.conftest import ROOT, kiosk_env


class FakeSystemd:
    """The receiving end of $NOTIFY_SOCKET: a datagram socket, as systemd has."""

    def __init__(self, folder: Path):
        self.path = str(folder / "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.messages: list[tuple[float, str]] = []

    def receive(self, timeout: float) -> str | None:
        self.sock.settimeout(timeout)
        try:
            msg = self.sock.recv(4096).decode()
        except socket.timeout:
            return None
        self.messages.append((time.monotonic(), msg))
        return msg

    def wait_for(self, text: str, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            msg = self.receive(max(0.01, end - time.monotonic()))
            if msg and text in msg:
                return True
        return False

    def drain(self) -> None:
        while self.receive(0.01) is not None:
            pass

    def close(self):
        self.sock.close()


@pytest.fixture
def systemd(tmp_path):
    s = FakeSystemd(tmp_path)
    yield s
    s.close()


def test_messages_reach_the_socket(systemd):
    n = Notifier(systemd.path, watchdog_usec=4_000_000)
    assert n.ready("up") and n.ping()
    assert systemd.receive(1) == "READY=1\nSTATUS=up"
    assert systemd.receive(1) == "WATCHDOG=1"
    assert n.ping_interval() == 2.0


def test_abstract_socket_names_are_understood():
    name = f"hcc-kiosk-test-{os.getpid()}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(b"\0" + name.encode())
    try:
        assert Notifier("@" + name).ping()
        server.settimeout(1)
        assert server.recv(100) == b"WATCHDOG=1"
    finally:
        server.close()


def test_not_under_systemd_nothing_is_sent():
    n = Notifier.from_env({})
    assert not n.active and not n.ping() and n.ping_interval() is None


def test_watchdog_time_for_another_process_is_ignored():
    env = {"NOTIFY_SOCKET": "/nowhere", "WATCHDOG_USEC": "2000000"}
    assert Notifier.from_env(env).ping_interval() == 1.0
    assert Notifier.from_env({**env, "WATCHDOG_PID": str(os.getpid())}).ping_interval() == 1.0
    # the compositor (cage) is the service's main process and the kiosk its child
    assert Notifier.from_env({**env, "WATCHDOG_PID": str(os.getppid())}).ping_interval() == 1.0
    assert Notifier.from_env({**env, "WATCHDOG_PID": "1"}).ping_interval() is None
    assert Notifier.from_env({**env, "WATCHDOG_USEC": "soon"}).ping_interval() is None


def test_a_vanished_systemd_is_not_a_crash(tmp_path):
    assert Notifier(str(tmp_path / "gone.sock")).ping() is False


# A kiosk whose main loop can be frozen on demand: SIGUSR1 runs a handler in the main thread
# that says FROZEN on the notify socket, then sleeps, as a hung screen would, while the process
# stays alive (a ping from a thread would go on; the kiosk's must not).
FREEZABLE = (
    "import os, signal, socket, sys, time\n"
    "freeze = float(sys.argv.pop(1))\n"
    "def hang(*_):\n"
    "    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
    "    s.sendto(b'FROZEN', os.environ['NOTIFY_SOCKET'])\n"
    "    time.sleep(freeze)\n"
    "signal.signal(signal.SIGUSR1, hang)\n"
    "from kiosk.cli import main\n"
    "sys.argv[0] = 'kiosk'\n"
    "main()\n"
)


@pytest.mark.gui
def test_the_kiosk_pings_from_its_main_loop_and_stops_when_it_freezes(systemd, tmp_path):
    env = kiosk_env(tmp_path / "data", {"NOTIFY_SOCKET": systemd.path, "WATCHDOG_USEC": "400000",
                                        "PYTHONPATH": str(ROOT), "KIOSK_NO_CONSOLE": "1"})
    freeze = 3.0
    proc = subprocess.Popen([sys.executable, "-c", FREEZABLE, str(freeze), "run", "--headless",
                             "--size", "small", "--exit-after", "120"],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert systemd.wait_for("READY=1", 90), "the kiosk never said it was ready"
        assert systemd.wait_for("WATCHDOG=1", 5) and systemd.wait_for("WATCHDOG=1", 5)
        proc.send_signal(signal.SIGUSR1)
        assert systemd.wait_for("FROZEN", 10), "the main loop never ran the freezing handler"
        frozen_at = time.monotonic()
        assert systemd.receive(freeze - 0.5) is None, "pinged while the main loop was frozen"
        assert proc.poll() is None
        assert systemd.wait_for("WATCHDOG=1", freeze + 10), "no ping after the loop came back"
        assert systemd.messages[-1][0] - frozen_at >= freeze - 0.5
    finally:
        proc.kill()
        out = proc.communicate(timeout=30)[0]
    assert b"Traceback" not in out, out.decode(errors="replace")


def test_the_appliance_package_and_its_commands_do_not_import_kivy():
    """install, backups and doctor run where no window can open (a chroot, an image build)."""
    modules = sorted(f"kiosk.appliance.{p.stem}" for p in (ROOT / "kiosk" / "appliance").glob("*.py"))
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules + ["kiosk.cli_appliance"]) +
            "bad = sorted(m for m in sys.modules if m == 'kivy' or m.startswith('kivy.'))\n"
            "print(','.join(bad))\nsys.exit(1 if bad else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert len(modules) >= 5 and r.returncode == 0, r.stdout + r.stderr
