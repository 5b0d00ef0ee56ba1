"""The staff-side commands: accounts, serve's refusals, purge, backup, restore, and the console
started beside `kiosk run`. Every error a user can cause: one English line, non-zero exit."""

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from conftest import ROOT, kiosk_cmd
from staff_helpers import PIN, free_port, kiosk_env


def no_trace(r):
    assert "Traceback" not in r.stdout + r.stderr
    return r


def test_staff_accounts(kiosk, tmp_path):
    r = no_trace(kiosk("staff", "add", "lan", "--pin-stdin", data=tmp_path, input=PIN + "\n"))
    assert r.returncode == 0 and "created" in r.stdout
    for pin, words in (("12345", "6 to 12 digits"), ("12ab56", "6 to 12 digits")):
        r = no_trace(kiosk("staff", "add", "minh", "--pin-stdin", data=tmp_path, input=pin + "\n"))
        assert r.returncode == 2 and words in r.stderr
    r = no_trace(kiosk("staff", "add", "lan", "--pin-stdin", data=tmp_path, input=PIN + "\n"))
    assert r.returncode == 1 and "already exists" in r.stderr
    r = no_trace(kiosk("staff", "add", "có dấu cách", "--pin-stdin", data=tmp_path, input=PIN + "\n"))
    assert r.returncode == 2 and "no spaces" in r.stderr
    listing = json.loads(kiosk("staff", "list", "--json", data=tmp_path).stdout)
    assert [a["name"] for a in listing] == ["lan"] and not listing[0]["disabled"]
    assert "argon2" not in json.dumps(listing) and "pin" not in listing[0]
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as c:
        (stored,) = c.execute("SELECT pin_hash FROM staff").fetchone()
    assert stored.startswith("$argon2id$") and PIN not in stored
    assert kiosk("staff", "disable", "lan", data=tmp_path).returncode == 0
    assert json.loads(kiosk("staff", "list", "--json", data=tmp_path).stdout)[0]["disabled"]
    assert "active" in kiosk("staff", "enable", "lan", data=tmp_path).stdout + \
        kiosk("staff", "list", data=tmp_path).stdout
    r = no_trace(kiosk("staff", "disable", "nobody", data=tmp_path))
    assert r.returncode == 1 and "no staff account named 'nobody'" in r.stderr


def test_pin_is_asked_twice(tmp_path):
    from kiosk.cli import cli
    runner = CliRunner()
    r = runner.invoke(cli, ["staff", "add", "lan", "--data", str(tmp_path)], input="123456\n654321\n")
    assert r.exit_code == 2 and "differ" in r.output
    r = runner.invoke(cli, ["staff", "add", "lan", "--data", str(tmp_path)], input="123456\n123456\n")
    assert r.exit_code == 0, r.output
    assert "123456" not in r.output  # hidden input


def test_serve_refuses_lan_without_accounts_and_a_busy_port(kiosk, tmp_path):
    r = no_trace(kiosk("staff", "serve", "--host", "0.0.0.0", "--port", free_port(), data=tmp_path))
    assert r.returncode == 2 and "create a staff account first" in r.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = no_trace(kiosk("staff", "serve", "--port", port, data=tmp_path))
    assert r.returncode == 2 and f"port {port}" in r.stderr and "in use" in r.stderr


def test_purge_backup_restore(kiosk, tmp_path):
    data = tmp_path / "data"
    r = no_trace(kiosk("purge", "--older-than", "30", data=data))
    assert r.returncode == 2 and "no kiosk log" in r.stderr
    from kiosk.core.data.store import Store
    s = Store(data / "kiosk.sqlite3")
    s.start_session(at="2025-01-01T08:00:00.000000Z")
    s.create_ticket(s.start_session(), {})
    s.close()
    assert no_trace(kiosk("purge", "--older-than", "0", data=data)).returncode == 2
    r = no_trace(kiosk("purge", "--older-than", "90", data=data))
    assert r.returncode == 0 and "1 sessions" in r.stdout

    backup = tmp_path / "usb" / "kiosk-backup.sqlite3"
    r = no_trace(kiosk("backup", backup, data=data))
    assert r.returncode == 0 and "1 sessions" in r.stdout and "1 tickets" in r.stdout
    r = no_trace(kiosk("backup", backup, data=data))
    assert r.returncode == 2 and "--force" in r.stderr

    notes = tmp_path / "notes.sqlite3"
    sqlite3.connect(notes).execute("CREATE TABLE notes (t)").connection.close()
    for bad in (notes, tmp_path / "missing.sqlite3"):
        r = no_trace(kiosk("restore", bad, "--yes", data=data))
        assert r.returncode == 1 and "refused" in r.stderr
    r = no_trace(kiosk("restore", backup, data=data, input="n\n"))
    assert r.returncode != 0  # asked, and the answer was no
    r = no_trace(kiosk("restore", backup, "--yes", data=data))
    assert r.returncode == 0 and "previous log is kept" in r.stdout
    report = json.loads(kiosk("report", "--json", data=data).stdout)
    assert report["sessions"] == 1 and report["escalations"]["total"] == 1


@pytest.mark.gui
def test_kiosk_run_starts_the_console_beside_it_and_stops_it(tmp_path):
    port = free_port()
    # the kiosk closes itself after 45 s; the console (started 3 s after the kiosk) is polled
    # until it answers or the kiosk has gone: no guess of how fast a loaded machine starts it
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--headless", "--exit-after", "45",
                             "--console-port", str(port), "--data", str(tmp_path)],
                            env=kiosk_env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        page = None
        while proc.poll() is None and page is None:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).read().decode()
            except OSError:
                time.sleep(0.3)
        assert page and "Đăng nhập nhân viên" in page
        proc.wait(120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0

    def console_gone():
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)
        except OSError:
            return True
        return False
    deadline = time.monotonic() + 30  # an upper bound only: normally gone at once
    while not console_gone():
        assert time.monotonic() < deadline, "the console outlived the kiosk"
        time.sleep(0.2)
    r = kiosk_cmd("run", "--help")
    assert "--no-console" in r.stdout and "--console-port" in r.stdout
