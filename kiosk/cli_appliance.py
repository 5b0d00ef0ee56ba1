"""`kiosk install`, `kiosk uninstall`, `kiosk backup-rotate`: the kiosk as an appliance
(kiosk/appliance/). Loaded by the main group only when one of them is called."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kiosk.cli import data_option, fail


def _needs_root(root: Path, dry_run: bool) -> None:
    if not dry_run and Path(root).resolve() == Path("/") and os.geteuid() != 0:
        fail("this changes the system: run it as root (sudo), or try --dry-run first", 2)


def _has_sync_command() -> bool:
    from kiosk.cli import cli
    return cli.get_command(click.Context(cli), "sync") is not None


root_option = click.option("--root", "root", default="/", show_default=True,
                           type=click.Path(file_okay=False, path_type=Path),
                           help="Write every file under this folder instead of / (tests, images).")
dry_option = click.option("--dry-run", is_flag=True, help="Print what would be done; change nothing.")


@click.command("install")
@root_option
@dry_option
@click.option("--data", default="/var/lib/hcc-kiosk", show_default=True, help="The kiosk's data folder (log).")
@click.option("--backup-dir", default="/var/backups/hcc-kiosk", show_default=True,
              help="Folder for the nightly backups, e.g. a USB disk's mount point (then add --backup-usb).")
@click.option("--backup-usb", is_flag=True, help="The backup folder is a mounted disk: skip a night it is not plugged in.")
@click.option("--keep", default=14, show_default=True, type=click.IntRange(1, 3650), help="Backups kept.")
@click.option("--backup-time", default="02:30:00", show_default=True, help="When the nightly backup runs (HH:MM:SS).")
@click.option("--console-host", default="0.0.0.0", show_default=True,
              help="Staff console address (0.0.0.0: the local network; needs a staff account).")
@click.option("--console-port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--central-db", envvar="KIOSK_CENTRAL_DB", help="The province's central database (also "
              "$KIOSK_CENTRAL_DB): adds the sync timer.")
@click.option("--watchdog", "watchdog_sec", default=30, show_default=True, type=click.IntRange(5, 600),
              help="Seconds without a sign of life before the kiosk screen is restarted.")
def install_cmd(root, dry_run, data, backup_dir, backup_usb, keep, backup_time, console_host,
                console_port, central_db, watchdog_sec):
    """Make this Debian 12 machine a kiosk appliance: a system user, the kiosk screen on tty1,
    the staff console, a nightly backup (and the sync timer with a central database)."""
    from kiosk.appliance.install import InstallError, Settings, carry_out, install_plan, kiosk_command
    _needs_root(root, dry_run)
    _check_time(backup_time)
    data, backup_dir = _unit_path("--data", data), _unit_path("--backup-dir", backup_dir)
    try:
        s = Settings(kiosk=kiosk_command(), data=data, backup_dir=backup_dir, backup_usb=backup_usb,
                     keep=keep, backup_time=backup_time, console_host=console_host,
                     console_port=console_port, central_db=central_db or None,
                     sync_available=_has_sync_command(), watchdog_sec=watchdog_sec)
        steps = install_plan(s, root)
        if central_db and not s.sync_available:
            click.echo("note: a central database is set but this kiosk version has no `kiosk sync` "
                       "command; the sync timer is not installed", err=True)
        if dry_run:
            _print_plan(steps, root)
            return
        problems = carry_out(steps, root, lambda line: click.echo(line))
    except InstallError as e:
        fail(str(e), 1)
    for p in problems:
        click.echo(f"warning: {p}", err=True)
    if not (Path(root) / s.cage.lstrip("/")).exists():
        click.echo(f"warning: {s.cage} is missing, so the kiosk screen cannot start: apt-get install cage "
                   "(scripts/bootstrap.sh install does it)", err=True)
    _after_install(s, root)


def _unit_path(option: str, value: str) -> str:
    """An absolute path without blanks: it goes as is into ExecStart= and tmpfiles lines."""
    if any(c.isspace() for c in value):
        fail(f"{option} must not contain spaces or tabs: '{value}'", 2)
    return os.path.abspath(value)


def _check_time(value: str) -> None:
    parts = value.split(":")
    ok = len(parts) in (2, 3) and all(p.isdigit() and len(p) == 2 for p in parts)
    if not ok or int(parts[0]) > 23 or any(int(p) > 59 for p in parts[1:]):
        fail(f"--backup-time must be HH:MM or HH:MM:SS, not '{value}'", 2)


def _print_plan(steps, root: Path) -> None:
    where = "" if Path(root).resolve() == Path("/") else f" (under {root})"
    click.echo(f"dry run: nothing is changed{where}")
    for step in steps:
        click.echo(step.describe())
        if step.kind == "write":
            for line in step.text.splitlines():
                click.echo(f"    {line}")


def _after_install(s, root: Path) -> None:
    from kiosk.appliance.install import live
    click.echo(f"installed: kiosk screen on tty1, staff console on {s.console_host}:{s.console_port}, "
               f"nightly backup at {s.backup_time} to {s.backup_dir} (last {s.keep} kept)")
    if not live(root):
        click.echo("systemd is not running here: everything starts at the next boot")
    click.echo(f"next: add a staff account (as root): runuser -u hcc-kiosk -- {s.kiosk} staff add NAME --data {s.data}; "
               "then reboot to start the kiosk screen")


@click.command("uninstall")
@root_option
@dry_option
def uninstall_cmd(root, dry_run):
    """Undo `kiosk install`: stop and remove the units, settings and the system user. The log
    and the backups are kept."""
    from kiosk.appliance.install import InstallError, carry_out, uninstall_plan
    _needs_root(root, dry_run)
    steps = uninstall_plan(root)
    if dry_run:
        _print_plan(steps, root)
        return
    try:
        problems = carry_out(steps, root, lambda line: click.echo(line))
    except InstallError as e:
        fail(str(e), 1)
    for p in problems:
        click.echo(f"note: {p}", err=True)
    click.echo("uninstalled; the log and the backups are kept (remove them by hand if wanted)")


@click.command("backup-rotate")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--keep", default=14, show_default=True, type=click.IntRange(1, 3650),
              help="How many backups to keep in FOLDER (the oldest go).")
@click.option("--mounted", is_flag=True, help="Refuse unless FOLDER is on a mounted disk (USB).")
@data_option
def backup_rotate_cmd(folder, keep, mounted, data):
    """Write a checked backup of the log into FOLDER and keep the newest KEEP (nightly job)."""
    from kiosk import paths
    from kiosk.appliance.backups import rotate
    from kiosk.core.data.datacare import DataError
    try:
        r = rotate(paths.db_path(paths.data_dir(data)), folder, keep, mounted=mounted)
    except DataError as e:
        fail(f"backup failed: {e}", 1)
    c = r["counts"]
    click.echo(f"backup: {r['file']} ({r['bytes']} bytes; {c['sessions']} sessions, {c['events']} events, "
               f"{c['tickets']} tickets; integrity ok); {r['kept']} kept, {len(r['removed'])} removed")
