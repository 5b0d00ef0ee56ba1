"""Staff-side commands of the `kiosk` CLI: the console, staff accounts, purge, backup, restore.

Attached to the main group with ``register(cli)``, which also gives `kiosk run` the options
that start the staff console beside the kiosk (`--no-console`, `--console-host`,
`--console-port`). Every error a user can cause: one clear English line, non-zero exit.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from kiosk import paths

data_option = click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path),
                           help="Data directory (log, caches). Default: $KIOSK_DATA or the user data dir.")


def fail(message: str, code: int = 1):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _store(data, must_exist: bool = True):
    from kiosk.core.data.store import Store, StoreError
    db = paths.db_path(paths.data_dir(data))
    if must_exist and not db.exists():
        fail(f"no kiosk log at {db} (run the kiosk first, or pass --data)", 2)
    try:
        return Store(db)
    except StoreError as e:
        fail(str(e), 2)


# --- kiosk staff ... ----------------------------------------------------------------------

@click.group("staff")
def staff_group():
    """The staff console and staff accounts."""


@staff_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. A LAN address needs at least one staff account.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--lessons", type=click.Path(path_type=Path), help="Lessons folder (for lesson titles).")
@data_option
def staff_serve(host, port, lessons, data):
    """Run the staff console (web) on HOST:PORT.

    X-Forwarded-For is ignored unless KIOSK_TRUSTED_PROXY names the reverse proxy in front of
    the console (IP addresses or networks, comma-separated)."""
    from kiosk.core.data.store import StoreError
    from kiosk.staff.server import ServeError, serve
    folder = paths.data_dir(data)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        serve(paths.db_path(folder), lessons or paths.lessons_dir(), host, port)
    except ServeError as e:
        fail(str(e), 2)
    except StoreError as e:
        fail(str(e), 2)
    except OSError as e:
        fail(f"cannot use the data directory {folder}: {e.strerror or e}", 2)


def _read_pin(pin_stdin: bool) -> str:
    if pin_stdin:
        line = sys.stdin.readline()
        return line.strip()
    first = click.prompt("PIN (6-12 digits)", hide_input=True, err=True)
    second = click.prompt("Repeat the PIN", hide_input=True, err=True)
    if first != second:
        fail("the two PINs differ; nothing was changed", 2)
    return first


@staff_group.command("add")
@click.argument("name")
@click.option("--pin-stdin", is_flag=True, help="Read the PIN from one line of standard input (scripts).")
@data_option
def staff_add(name, pin_stdin, data):
    """Create a staff account NAME; the PIN is asked twice (at least 6 digits)."""
    from kiosk.core.data.store import StoreError
    from kiosk.staff import auth
    try:
        name = auth.check_name(name)
        pin = auth.check_pin(_read_pin(pin_stdin))
    except auth.AuthError as e:
        fail(str(e), 2)
    store = _store(data, must_exist=False)
    try:
        auth.add_staff(store, name, pin)
    except auth.AuthError as e:
        fail(str(e), 1)
    except StoreError as e:
        fail(str(e), 2)
    click.echo(f"staff account '{name}' created")


@staff_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_option
def staff_list(as_json, data):
    """List staff accounts (never the PIN hashes)."""
    from kiosk.staff import auth
    rows = auth.list_staff(_store(data, must_exist=False))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no staff accounts (add one with: kiosk staff add NAME)")
    for r in rows:
        state = "disabled" if r["disabled"] else (f"locked until {r['locked_until']}" if r["locked_until"]
                                                  else "active")
        click.echo(f"{r['name']:24} {state:32} last login {r['last_login_at'] or '-'}")


def _set_disabled(name, data, disabled):
    from kiosk.core.data.store import StoreError
    from kiosk.staff import auth
    try:
        auth.set_disabled(_store(data, must_exist=False), name, disabled)
    except auth.AuthError as e:
        fail(str(e), 1)
    except StoreError as e:
        fail(str(e), 2)


@staff_group.command("disable")
@click.argument("name")
@data_option
def staff_disable(name, data):
    """Disable a staff account and end its console sessions."""
    _set_disabled(name, data, True)
    click.echo(f"staff account '{name}' disabled")


@staff_group.command("enable")
@click.argument("name")
@data_option
def staff_enable(name, data):
    """Enable a disabled staff account again."""
    _set_disabled(name, data, False)
    click.echo(f"staff account '{name}' enabled")


# --- data care ------------------------------------------------------------------------------

@click.command("purge")
@click.option("--older-than", "days", required=True, type=int, metavar="DAYS",
              help="Delete sessions, events and tickets older than this many days.")
@data_option
def purge_cmd(days, data):
    """Delete log data older than DAYS days (retention)."""
    from kiosk.core.data.datacare import DataError, purge
    from kiosk.core.data.queue import with_retries
    from kiosk.core.data.store import StoreError
    if days < 1:
        fail("--older-than must be at least 1 day", 2)
    store = _store(data)
    try:
        counts = with_retries(lambda: purge(store, days))
    except (DataError, StoreError) as e:
        fail(str(e), 1)
    click.echo(f"purged data older than {days} day(s): " +
               ", ".join(f"{n} {table}" for table, n in counts.items()))


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@data_option
def backup_cmd(file, force, data):
    """Copy the log to FILE (safe while the kiosk runs)."""
    from kiosk.core.data.datacare import DataError, backup
    db = paths.db_path(paths.data_dir(data))
    if file.exists() and not force:
        fail(f"{file} exists; pass --force to replace it", 2)
    try:
        result = backup(db, file)
    except DataError as e:
        fail(str(e), 1)
    c = result["counts"]
    click.echo(f"backup: {file} ({result['bytes']} bytes; {c['sessions']} sessions, {c['events']} events, "
               f"{c['tickets']} tickets)")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@data_option
def restore_cmd(file, yes, data):
    """Replace the log with a backup FILE (the current log is kept beside it)."""
    from kiosk.core.data.datacare import DataError, check_kiosk_db, restore
    db = paths.db_path(paths.data_dir(data))
    try:
        counts = check_kiosk_db(file)
    except DataError as e:
        fail(f"refused: {e}", 1)
    if not yes:
        click.confirm(f"Replace the log at {db} with {file} ({counts['sessions']} sessions, "
                      f"{counts['tickets']} tickets)? Stop the kiosk first.", abort=True, err=True)
    try:
        result = restore(file, db)
    except DataError as e:
        fail(str(e), 1)
    kept = f"; the previous log is kept as {result['kept']}" if result["kept"] else ""
    click.echo(f"restored {file} into {db}{kept}")


# --- `kiosk run` starts the console beside the kiosk ---------------------------------------

def _with_console(run: click.Command) -> None:
    if getattr(run, "_staff_console", False):
        return
    run.params += [
        click.Option(["--no-console"], is_flag=True,
                     help="Do not start the staff console beside the kiosk (also: KIOSK_NO_CONSOLE=1)."),
        click.Option(["--console-host"], default="127.0.0.1", show_default=True,
                     help="Staff console address (a LAN address needs a staff account)."),
        click.Option(["--console-port"], default=8080, show_default=True, type=click.IntRange(1, 65535),
                     help="Staff console port."),
    ]
    inner = run.callback

    @functools.wraps(inner)
    def callback(no_console=False, console_host="127.0.0.1", console_port=8080, **kw):
        beside = None
        if not no_console and os.environ.get("KIOSK_NO_CONSOLE", "") in ("", "0"):
            from kiosk.staff.server import Beside
            beside = Beside(paths.data_dir(kw.get("data")), console_host, console_port,
                            kw.get("lessons")).start()
        try:
            return inner(**kw)
        finally:
            if beside is not None:
                beside.stop()

    run.callback = callback
    run._staff_console = True


def register(cli: click.Group) -> None:
    """Add `staff`, `purge`, `backup`, `restore`; give `run` its console options."""
    for cmd in (staff_group, purge_cmd, backup_cmd, restore_cmd):
        cli.add_command(cmd)
    if "run" in cli.commands:
        _with_console(cli.commands["run"])
