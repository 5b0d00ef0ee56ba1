"""What `kiosk doctor` says about the appliance: version, units, last backup, free disk."""

from __future__ import annotations

import os
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from kiosk.appliance.backups import free_disk, last_backup
from kiosk.appliance.install import (BACKUP_TIMER, CONSOLE, ENV_FILE, SESSION, SYNC_TIMER, UNIT_DIR,
                                     live)

UNITS = [SESSION, CONSOLE, BACKUP_TIMER, SYNC_TIMER]
DEFAULT_BACKUPS = "/var/backups/hcc-kiosk"


def version() -> str:
    try:
        return metadata.version("hcc-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown (not installed as a package)"


def env_setting(name: str, env_file: str = ENV_FILE) -> str | None:
    """$NAME, else its line in the appliance's settings file (readable by root only)."""
    if os.environ.get(name):
        return os.environ[name]
    try:
        for line in Path(env_file).read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == name:
                return value.strip()
    except OSError:
        pass
    return None


def unit_states() -> list[dict]:
    """Each unit: installed (its file is there), and enabled/active as systemd says."""
    running = live(Path("/")) and shutil.which("systemctl")
    rows = []
    for unit in UNITS:
        row = {"unit": unit, "installed": Path(UNIT_DIR, unit).is_file(), "enabled": None, "active": None}
        if running and row["installed"]:
            row["enabled"] = _systemctl("is-enabled", unit)
            row["active"] = _systemctl("is-active", unit)
        rows.append(row)
    return rows


def _systemctl(verb: str, unit: str) -> str:
    r = subprocess.run(["systemctl", verb, unit], capture_output=True, text=True, timeout=10)
    return (r.stdout.strip() or r.stderr.strip() or "unknown").splitlines()[0]


def appliance_status(data: Path) -> dict:
    backups = Path(env_setting("KIOSK_BACKUP_DIR") or DEFAULT_BACKUPS)
    return {
        "version": version(),
        "units": unit_states(),
        "backup_dir": str(backups),
        "last_backup": last_backup(backups),
        "disk": {"data": free_disk(data), "backups": free_disk(backups)},
    }


def describe_units(units: list[dict]) -> str:
    if not any(u["installed"] for u in units):
        return "not installed (`kiosk install`, as root, makes this machine a kiosk appliance)"
    parts = []
    for u in units:
        if u["installed"]:
            state = f"{u['enabled']}, {u['active']}" if u["active"] else "installed"
            parts.append(f"{u['unit']} ({state})")
    return "; ".join(parts)


def describe_backup(status: dict) -> str:
    last = status["last_backup"]
    if not last:
        return f"none yet in {status['backup_dir']}"
    return (f"{last['file']} ({last['bytes']} bytes, {last['age_hours']} h ago; "
            f"{last['count']} kept)")


def describe_disk(disk: dict) -> str:
    parts = []
    for label, d in disk.items():
        if d:
            parts.append(f"{label} {d['free_bytes'] / 2**30:.1f} GiB free of "
                         f"{d['total_bytes'] / 2**30:.1f} GiB ({d['path']})")
    return "; ".join(parts) or "unknown"
