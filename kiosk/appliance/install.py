"""`kiosk install` / `kiosk uninstall`: the files and commands that make a Debian 12 machine a
kiosk appliance, as a plan that is printed (--dry-run) or carried out.

Units and configuration files are rendered from the templates in kiosk/appliance/templates
(string.Template: the files only need values filled in, no logic). The system user and the
folders are declared for systemd-sysusers and systemd-tmpfiles, and units are enabled with
systemctl, rather than by hand-written user and symlink code: the same tools then also work on
an image root (--root DIR), where nothing is running.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

USER = "hcc-kiosk"
SESSION = "hcc-kiosk.service"
CONSOLE = "hcc-kiosk-console.service"
BACKUP_TIMER = "hcc-kiosk-backup.timer"
SYNC_TIMER = "hcc-kiosk-sync.timer"
UNITS = [SESSION, CONSOLE, "hcc-kiosk-backup.service", BACKUP_TIMER,
         "hcc-kiosk-sync.service", SYNC_TIMER]
ENV_FILE = "/etc/hcc-kiosk/kiosk.env"
UNIT_DIR = "/etc/systemd/system"


@dataclass
class Settings:
    kiosk: str                                  # absolute path of the `kiosk` command
    data: str = "/var/lib/hcc-kiosk"
    backup_dir: str = "/var/backups/hcc-kiosk"
    backup_usb: bool = False                    # backup_dir is a mount point (USB disk)
    keep: int = 14
    backup_time: str = "02:30:00"
    console_host: str = "0.0.0.0"
    console_port: int = 8080
    central_db: str | None = None               # KIOSK_CENTRAL_DB: the sync timer
    queue_db: str | None = None                 # KIOSK_QUEUE_DB: a centre's shared queue
    sync_available: bool = False                # this version has `kiosk sync`
    sync_minutes: int = 15
    watchdog_sec: int = 30
    cage: str = "/usr/bin/cage"


@dataclass
class Step:
    kind: str            # "write", "link", "run", "remove"
    path: str = ""       # for write/link/remove: the path as on the target system
    text: str = ""       # write: content; link: target
    mode: int = 0o644
    argv: list = field(default_factory=list)
    optional: bool = False  # a failure is reported, not fatal (e.g. restarting a stopped unit)

    def describe(self) -> str:
        if self.kind == "write":
            return f"write {self.path} (mode {self.mode:o}, {len(self.text.encode())} bytes)"
        if self.kind == "link":
            return f"link {self.path} -> {self.text}"
        if self.kind == "remove":
            return f"remove {self.path}"
        return "run " + " ".join(self.argv)


def template(name: str) -> str:
    return resources.files("kiosk.appliance").joinpath("templates", name).read_text("utf-8")


def _values(s: Settings) -> dict:
    flags = " --mounted" if s.backup_usb else ""
    return {
        "user": USER, "kiosk": s.kiosk, "data": s.data, "env_file": ENV_FILE,
        "backup_dir": s.backup_dir, "keep": s.keep, "backup_flags": flags,
        "backup_time": s.backup_time, "console_host": s.console_host,
        "console_port": s.console_port, "sync_minutes": s.sync_minutes,
        "watchdog_sec": s.watchdog_sec, "cage": s.cage,
        "central_db_line": f"KIOSK_CENTRAL_DB={s.central_db}" if s.central_db else "",
        "queue_db_line": f"KIOSK_QUEUE_DB={s.queue_db}" if s.queue_db else "",
        # a USB disk's mount point must not be made on the system disk when it is unplugged
        "backup_dir_line": "" if s.backup_usb else f"d {s.backup_dir} 0750 {USER} {USER} -",
    }


def render(name: str, s: Settings) -> str:
    text = Template(template(name)).substitute(_values(s))
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n") + "\n"


def files(s: Settings) -> list[tuple[str, str, int]]:
    """(path, template, mode) of every file the appliance consists of, for these settings."""
    out = [(f"{UNIT_DIR}/{u}", u, 0o644) for u in UNITS[:4]]
    if with_sync(s):
        out += [(f"{UNIT_DIR}/{u}", u, 0o644) for u in UNITS[4:]]
    out += [
        (ENV_FILE, "kiosk.env", 0o640),
        ("/etc/pam.d/hcc-kiosk", "pam-hcc-kiosk", 0o644),
        ("/etc/systemd/logind.conf.d/hcc-kiosk.conf", "logind.conf", 0o644),
        ("/etc/sysctl.d/90-hcc-kiosk.conf", "sysctl.conf", 0o644),
        ("/etc/sysusers.d/hcc-kiosk.conf", "sysusers.conf", 0o644),
        ("/etc/tmpfiles.d/hcc-kiosk.conf", "tmpfiles.conf", 0o644),
    ]
    return out


MASKED = ["ctrl-alt-del.target"]  # Ctrl+Alt+Del on the console would reboot the kiosk
ALL_PATHS = [f"{UNIT_DIR}/{u}" for u in UNITS] + [
    ENV_FILE, "/etc/pam.d/hcc-kiosk", "/etc/systemd/logind.conf.d/hcc-kiosk.conf",
    "/etc/sysctl.d/90-hcc-kiosk.conf", "/etc/sysusers.d/hcc-kiosk.conf",
    "/etc/tmpfiles.d/hcc-kiosk.conf"]


def with_sync(s: Settings) -> bool:
    """The sync timer needs a central database and a kiosk that has the `sync` command."""
    return bool(s.central_db) and s.sync_available


def enabled_units(s: Settings) -> list[str]:
    return [SESSION, CONSOLE, BACKUP_TIMER] + ([SYNC_TIMER] if with_sync(s) else [])


def live(root: Path) -> bool:
    """Is this the running system, with systemd as its init (not an image, a chroot, a build)?"""
    return Path(root).resolve() == Path("/") and Path("/run/systemd/system").is_dir()


def _systemctl(root: Path, *args: str) -> list[str]:
    return ["systemctl", *([] if Path(root).resolve() == Path("/") else [f"--root={root}"]), *args]


def install_plan(s: Settings, root: Path) -> list[Step]:
    steps = [Step("write", path, render(name, s), mode) for path, name, mode in files(s)]
    steps += [Step("link", f"{UNIT_DIR}/{u}", "/dev/null") for u in MASKED]
    # both tools take the file's path as seen from here, not from inside --root
    steps.append(Step("run", argv=["systemd-sysusers", *_root_opt(root),
                                   str(_target(root, "/etc/sysusers.d/hcc-kiosk.conf"))]))
    steps.append(Step("run", argv=["systemd-tmpfiles", *_root_opt(root), "--create",
                                   str(_target(root, "/etc/tmpfiles.d/hcc-kiosk.conf"))]))
    if not with_sync(s) and _target(root, f"{UNIT_DIR}/{SYNC_TIMER}").exists():
        # a sync timer of an earlier install, now without a central database
        steps += [Step("run", argv=_systemctl(root, "disable", SYNC_TIMER), optional=True)]
        steps += [Step("remove", f"{UNIT_DIR}/{u}") for u in UNITS[4:]]
    if live(root):
        steps.append(Step("run", argv=["systemctl", "daemon-reload"]))
    steps.append(Step("run", argv=_systemctl(root, "enable", *enabled_units(s))))
    if live(root):
        steps.append(Step("run", argv=["sysctl", "-q", "-p", "/etc/sysctl.d/90-hcc-kiosk.conf"], optional=True))
        others = [u for u in enabled_units(s) if u != SESSION]
        steps.append(Step("run", argv=["systemctl", "restart", *others]))
        # an update: the running kiosk screen gets the new version; a first install starts at boot
        steps.append(Step("run", argv=["systemctl", "try-restart", SESSION]))
    return steps


def uninstall_plan(root: Path) -> list[Step]:
    units = [SESSION, CONSOLE, BACKUP_TIMER, SYNC_TIMER]
    steps = []
    if live(root):
        steps.append(Step("run", argv=["systemctl", "stop", *units], optional=True))
    steps.append(Step("run", argv=_systemctl(root, "disable", *units), optional=True))
    steps += [Step("remove", p) for p in ALL_PATHS]
    steps += [Step("remove", f"{UNIT_DIR}/{u}") for u in MASKED]
    steps.append(Step("run", argv=["userdel", *_root_opt(root, " "), USER], optional=True))
    if live(root):
        steps.append(Step("run", argv=["systemctl", "daemon-reload"]))
    return steps


def _root_opt(root: Path, style: str = "=") -> list[str]:
    """systemd's tools take --root=DIR; userdel takes --root DIR. Nothing for the real root."""
    if Path(root).resolve() == Path("/"):
        return []
    return [f"--root={root}"] if style == "=" else ["--root", str(root)]


def carry_out(steps: list[Step], root: Path, echo) -> list[str]:
    """Do the steps in order; echo(line) for each. Returns the problems of optional steps."""
    problems = []
    for step in steps:
        echo(step.describe())
        if step.kind == "write":
            _write(Path(root), step)
        elif step.kind == "link":
            _link(Path(root), step)
        elif step.kind == "remove":
            _remove(Path(root), step)
        else:
            problem = _run(step)
            if problem:
                problems.append(problem)
    return problems


def _target(root: Path, path: str) -> Path:
    return root / path.lstrip("/")


def _write(root: Path, step: Step) -> None:
    target = _target(root, step.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".new")
    tmp.write_text(step.text, encoding="utf-8")
    os.chmod(tmp, step.mode)
    tmp.replace(target)  # the env file stays root's (0640): systemd reads it, not the kiosk


def _link(root: Path, step: Step) -> None:
    target = _target(root, step.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.exists():
        target.unlink()
    target.symlink_to(step.text)


def _remove(root: Path, step: Step) -> None:
    target = _target(root, step.path)
    if target.is_symlink() or target.is_file():
        target.unlink()


class InstallError(Exception):
    pass


def _run(step: Step) -> str | None:
    if shutil.which(step.argv[0]) is None:
        message = f"{step.argv[0]} not found (is the systemd package installed?)"
    else:
        r = subprocess.run(step.argv, capture_output=True, text=True)
        if r.returncode == 0:
            return None
        message = f"{' '.join(step.argv)} exited {r.returncode}: {(r.stderr or r.stdout).strip()}"
    if step.optional:
        return message
    raise InstallError(message)


def kiosk_command() -> str:
    """The `kiosk` command of this installation (beside this Python), for the units."""
    here = Path(sys.executable).parent / "kiosk"
    if here.exists():
        return str(here)
    found = shutil.which("kiosk")
    if found:
        return str(Path(found).absolute())
    raise InstallError("cannot find the `kiosk` command beside this Python; install the project first")
