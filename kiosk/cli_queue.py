"""`kiosk queue`: the queue from the command line, through the kiosk's own code path.

`take` issues a ticket as the touchscreen does (the log writer's ask; the centre's shared queue
when KIOSK_QUEUE_DB is set, else, or when it does not answer, this kiosk's log); `flush` sends
tickets numbered offline to the shared queue. For a desk that
hands out a number by hand, for checking a centre's set-up, and for the two-kiosk test.
Exit codes: 0 done, 1 the log could not be written, 2 a usage error.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

import click

from kiosk import paths

data_option = click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path),
                           help="Data directory. Default: $KIOSK_DATA or the user data dir.")


def fail(message: str, code: int = 1):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _writer(data):
    from kiosk.core.data.writer import Writer
    tickets = None
    if os.environ.get("KIOSK_QUEUE_DB"):  # psycopg only for a shared queue
        from kiosk.central.queue_db import tickets_from_env
        tickets = tickets_from_env()
    return Writer(paths.db_path(paths.data_dir(data)), tickets=tickets)


@click.group("queue")
def queue_group():
    """The centre's queue (shared with other kiosks when KIOSK_QUEUE_DB is set)."""


@queue_group.command("take")
@click.option("--group", type=click.Choice(["elderly", "disabled", "pregnant"]),
              help="The visitor's priority group, as chosen on the ticket screen.")
@click.option("--lesson", help="The lesson the visitor was on (shown to the staff).")
@data_option
def take(group, lesson, data):
    """Issue one ticket and print it as JSON: number, session, offline (numbered by this kiosk)."""
    from kiosk.core.data.store import utcnow
    w = _writer(data)
    sid = secrets.token_hex(8)
    w.submit("start_session", session_id=sid, source="cli", at=utcnow())
    ask = w.ask("create_ticket", session_id=sid, context={"lesson": lesson} if lesson else {})
    try:
        number = ask.result(timeout=10)
    except Exception as e:
        w.close()
        fail(f"no ticket: {e}")
    if group:
        w.submit("set_priority", session_id=sid, group=group)
    w.submit("end_session", session_id=sid, reason="done")
    offline = bool(w.tickets and not w.tickets.up)
    report = w.close()
    if report.lost:
        fail(f"{report.lost} log writes lost")
    click.echo(json.dumps({"number": number, "session_id": sid, "offline": offline}))


@queue_group.command("flush")
@data_option
def flush(data):
    """Send tickets numbered while the shared queue was unreachable; print how many were new."""
    from kiosk.core.data.shared_queue import SharedQueueDown
    w = _writer(data)
    if w.tickets is None:
        w.close()
        fail("KIOSK_QUEUE_DB is not set: this kiosk's queue is its own", 2)
    try:
        new = w.send_offline()
    except SharedQueueDown as e:
        w.close()
        fail(f"the shared queue did not answer: {e}")
    w.close()
    click.echo(json.dumps({"sent": new}))
