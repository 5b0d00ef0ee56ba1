"""`kiosk install` / `uninstall` on a folder root: the files, the user, the enabled units;
`systemd-analyze verify` on the generated units; their ExecStart lines run as written (the
console answers, the backup job writes checked backups and keeps the last N)."""

from __future__ import annotations

import os
import shlex
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kiosk.appliance import install as inst
from tests.conftest import ROOT
from tests.staff_helpers import free_port

UNIT_DIR = "etc/systemd/system"
# systemd-analyze, systemd-sysusers, systemctl and cage: Debian's systemd and cage packages, which
# `scripts/bootstrap.sh test` installs (TEST_DEBS); without them these tests fail, never skip.


def env(**extra) -> dict:
    e = dict(os.environ, PYTHONPATH=str(ROOT))
    e.pop("KIOSK_CENTRAL_DB", None)
    e.update(extra)
    return e


def kiosk(*args, **kw):
    return subprocess.run([sys.executable, "-m", "kiosk", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env(**kw), timeout=120)


def installed(tmp_path: Path, *extra) -> Path:
    root = tmp_path / "root"
    r = kiosk("install", "--root", root, "--data", tmp_path / "data", "--backup-dir", tmp_path / "backups",
              *extra)
    assert r.returncode == 0, r.stderr
    return root


def unit(root: Path, name: str) -> str:
    return (root / UNIT_DIR / name).read_text()


def exec_start(text: str) -> list[str]:
    lines = [l.split("=", 1)[1] for l in text.splitlines() if l.startswith("ExecStart=")]
    assert len(lines) == 1, text
    return shlex.split(lines[0])


def verify(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, paths)],
                          capture_output=True, text=True, timeout=120)


def test_dry_run_prints_the_plan_and_changes_nothing(tmp_path):
    root = tmp_path / "root"
    r = kiosk("install", "--root", root, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert not root.exists()
    out = r.stdout
    for path in ("/etc/systemd/system/hcc-kiosk.service", "/etc/systemd/system/hcc-kiosk-console.service",
                 "/etc/systemd/system/hcc-kiosk-backup.timer", "/etc/pam.d/hcc-kiosk",
                 "/etc/sysusers.d/hcc-kiosk.conf", "/etc/hcc-kiosk/kiosk.env"):
        assert f"write {path}" in out
    assert "link /etc/systemd/system/ctrl-alt-del.target -> /dev/null" in out
    assert f"run systemctl --root={root} enable hcc-kiosk.service" in out
    assert "ExecStart=/usr/bin/cage -d -- " in out  # the units' text is shown too
    assert "hcc-kiosk-sync" not in out


def test_install_writes_user_folders_units_and_enables_them(tmp_path):
    root = installed(tmp_path)
    assert "hcc-kiosk:x:" in (root / "etc/passwd").read_text()
    assert ":hcc-kiosk" in (root / "etc/group").read_text().split("video:")[1].splitlines()[0]
    assert (root / str(tmp_path / "data").lstrip("/")).is_dir()
    assert (root / UNIT_DIR / "graphical.target.wants/hcc-kiosk.service").is_symlink()
    assert (root / UNIT_DIR / "multi-user.target.wants/hcc-kiosk-console.service").is_symlink()
    assert (root / UNIT_DIR / "timers.target.wants/hcc-kiosk-backup.timer").is_symlink()
    assert os.readlink(root / UNIT_DIR / "ctrl-alt-del.target") == "/dev/null"
    session = unit(root, "hcc-kiosk.service")
    for line in ("Type=notify", "NotifyAccess=all", "WatchdogSec=30", "TTYPath=/dev/tty1", "Restart=always",
                 "StartLimitBurst=10", "StartLimitIntervalSec=600", "PAMName=hcc-kiosk", "User=hcc-kiosk"):
        assert line in session.splitlines(), line  # restarted when frozen or crashed, rate-limited
    argv = exec_start(session)
    assert argv[:3] == ["/usr/bin/cage", "-d", "--"] and "-s" not in argv[:3]  # no console switching
    assert argv[3] == inst.kiosk_command() and argv[4:6] == ["run", "--fullscreen"]
    assert (root / "etc/hcc-kiosk/kiosk.env").stat().st_mode & 0o777 == 0o640
    assert not (root / UNIT_DIR / "hcc-kiosk-sync.timer").exists()


def test_generated_units_pass_systemd_analyze_verify(tmp_path):
    root = installed(tmp_path)
    units = sorted((root / UNIT_DIR).glob("hcc-kiosk*"))
    assert len(units) == 4
    r = verify(*units)
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr
    # the sync units too, as written once a central database and `kiosk sync` exist
    s = inst.Settings(kiosk=inst.kiosk_command(), central_db="postgresql://tinh.example/kiosk",
                      sync_available=True)
    for name in ("hcc-kiosk-sync.service", "hcc-kiosk-sync.timer"):
        (tmp_path / name).write_text(inst.render(name, s))
    r = verify(tmp_path / "hcc-kiosk-sync.service", tmp_path / "hcc-kiosk-sync.timer")
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr


def test_verify_does_catch_a_broken_unit(tmp_path):
    s = inst.Settings(kiosk=str(tmp_path / "no-such-kiosk"))
    (tmp_path / "hcc-kiosk-console.service").write_text(inst.render("hcc-kiosk-console.service", s))
    r = verify(tmp_path / "hcc-kiosk-console.service")
    assert r.returncode != 0 and "no-such-kiosk" in r.stderr


def test_the_console_units_exec_start_answers(tmp_path):
    port = free_port()
    root = installed(tmp_path, "--console-host", "127.0.0.1", "--console-port", port)
    argv = exec_start(unit(root, "hcc-kiosk-console.service"))
    assert argv[1:3] == ["staff", "serve"]
    proc = subprocess.Popen(argv, env=env(), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = _get_when_up(f"http://127.0.0.1:{port}/login", proc)
        assert "Đăng nhập" in body
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def _get_when_up(url: str, proc, timeout: float = 60) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert proc.poll() is None, proc.communicate()[0].decode(errors="replace")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return resp.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout} s")


def _kiosk_log(data: Path, sessions: int) -> None:
    from kiosk.core.data.store import Store
    store = Store(data / "kiosk.sqlite3")
    for i in range(sessions):
        store.log(None, "test_event", {"n": i})
    store.close()


def test_the_backup_units_exec_start_writes_checked_backups_and_keeps_the_last_n(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _kiosk_log(data, 5)
    root = installed(tmp_path, "--keep", 2)
    argv = exec_start(unit(root, "hcc-kiosk-backup.service"))
    assert argv[1] == "backup-rotate"
    outputs = []
    for _ in range(3):
        r = subprocess.run(argv, capture_output=True, text=True, env=env(), timeout=60)
        assert r.returncode == 0, r.stderr
        outputs.append(r.stdout)
    backups = sorted((tmp_path / "backups").glob("kiosk-*.sqlite3"))
    assert len(backups) == 2, backups
    assert "integrity ok" in outputs[-1] and "2 kept, 1 removed" in outputs[-1]
    for b in backups:
        conn = sqlite3.connect(b)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'test_event'").fetchone()[0] == 5
        conn.close()
    # the newest is restorable by `kiosk restore`
    r = kiosk("restore", backups[-1], "--yes", "--data", tmp_path / "restored")
    assert r.returncode == 0, r.stderr


def test_backup_to_an_unplugged_usb_disk_refuses_clearly(tmp_path):
    from kiosk.appliance.backups import _on_mounted_disk
    if _on_mounted_disk(tmp_path):
        pytest.skip("the temporary folder is itself on a separate mount here")
    data = tmp_path / "data"
    data.mkdir()
    _kiosk_log(data, 1)
    r = kiosk("backup-rotate", tmp_path / "usb", "--mounted", "--data", data)
    assert r.returncode == 1 and "not on a mounted disk" in r.stderr
    assert not (tmp_path / "usb").exists()


def test_no_kiosk_log_is_a_clear_error(tmp_path):
    r = kiosk("backup-rotate", tmp_path / "b", "--data", tmp_path / "none")
    assert r.returncode == 1 and "backup failed: no kiosk log at" in r.stderr


def test_sync_timer_waits_for_the_sync_command(tmp_path):
    r = kiosk("install", "--root", tmp_path / "root", "--central-db", "postgresql://tinh.example/kiosk")
    assert r.returncode == 0, r.stderr
    env_text = (tmp_path / "root/etc/hcc-kiosk/kiosk.env").read_text()
    assert "KIOSK_CENTRAL_DB=postgresql://tinh.example/kiosk" in env_text
    assert "no `kiosk sync` command" in r.stderr
    assert not (tmp_path / "root" / UNIT_DIR / "hcc-kiosk-sync.timer").exists()
    # a sync timer left by an earlier install goes when the central database is no more
    for name in ("hcc-kiosk-sync.service", "hcc-kiosk-sync.timer"):
        (tmp_path / "root" / UNIT_DIR / name).write_text("[Unit]\n")
    r = kiosk("install", "--root", tmp_path / "root")
    assert r.returncode == 0 and "remove /etc/systemd/system/hcc-kiosk-sync.timer" in r.stdout, r.stderr
    assert not (tmp_path / "root" / UNIT_DIR / "hcc-kiosk-sync.timer").exists()
    s = inst.Settings(kiosk="/k", central_db="x", sync_available=True)
    assert inst.SYNC_TIMER in inst.enabled_units(s)
    assert any(p.endswith("hcc-kiosk-sync.timer") for p, _, _ in inst.files(s))


def test_uninstall_removes_what_install_wrote_and_keeps_the_log(tmp_path):
    data = tmp_path / "data"
    root = installed(tmp_path)
    inside_data = root / str(data).lstrip("/")
    (inside_data / "kiosk.sqlite3").write_bytes(b"log")
    r = kiosk("uninstall", "--root", root)
    assert r.returncode == 0, r.stderr
    left = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink())
    assert not [p for p in left if "hcc-kiosk" in p.split("/")[-1] and not p.endswith("kiosk.sqlite3")], left
    assert not (root / UNIT_DIR / "ctrl-alt-del.target").exists()
    assert "hcc-kiosk" not in (root / "etc/passwd").read_text()
    assert (inside_data / "kiosk.sqlite3").read_bytes() == b"log"


def test_install_on_the_real_system_needs_root(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root")
    r = kiosk("install")
    assert r.returncode == 2 and "run it as root" in r.stderr


def test_a_bad_backup_time_is_refused(tmp_path):
    r = kiosk("install", "--root", tmp_path / "root", "--backup-time", "25:00")
    assert r.returncode == 2 and "--backup-time must be HH:MM" in r.stderr
    assert not (tmp_path / "root").exists()


def test_doctor_shows_version_units_last_backup_and_free_disk(tmp_path):
    import json
    data = tmp_path / "data"
    data.mkdir()
    _kiosk_log(data, 2)
    backups = tmp_path / "backups"
    r = kiosk("backup-rotate", backups, "--keep", 3, "--data", data)
    assert r.returncode == 0, r.stderr
    r = kiosk("doctor", "--json", "--data", data, KIOSK_BACKUP_DIR=str(backups))
    a = json.loads(r.stdout)["appliance"]
    assert a["version"] == "0.1.0" or a["version"].startswith("unknown")
    assert [u["unit"] for u in a["units"]] == ["hcc-kiosk.service", "hcc-kiosk-console.service",
                                               "hcc-kiosk-backup.timer", "hcc-kiosk-sync.timer"]
    assert a["last_backup"]["count"] == 1 and a["last_backup"]["file"].startswith(str(backups))
    assert a["disk"]["data"]["free_bytes"] > 0
    text = kiosk("doctor", "--data", data, KIOSK_BACKUP_DIR=str(backups)).stdout
    assert "Last backup" in text and "1 kept" in text and "GiB free" in text


def test_folders_with_blanks_are_refused_and_relative_ones_made_absolute(tmp_path):
    r = kiosk("install", "--root", tmp_path / "root", "--backup-dir", "/media/usb disk")
    assert r.returncode == 2 and "--backup-dir must not contain spaces" in r.stderr
    r = kiosk("install", "--root", tmp_path / "root", "--dry-run", "--data", "kiosk-data")
    assert r.returncode == 0 and f"--data {ROOT / 'kiosk-data'}" in r.stdout


def test_backups_made_in_the_same_second_keep_their_order(tmp_path):
    import datetime as dt

    from kiosk.appliance.backups import backup_files, rotate
    data = tmp_path / "data"
    data.mkdir()
    _kiosk_log(data, 1)
    moment = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    names = [Path(rotate(data / "kiosk.sqlite3", tmp_path / "b", keep=2, now=moment)["file"]).name
             for _ in range(3)]
    assert names == ["kiosk-20300102T030405Z.sqlite3", "kiosk-20300102T030405Z-2.sqlite3",
                     "kiosk-20300102T030405Z-3.sqlite3"]
    assert [p.name for p in backup_files(tmp_path / "b")] == names[1:]  # the oldest went
