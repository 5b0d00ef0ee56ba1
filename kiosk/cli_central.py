"""`kiosk identity`, `kiosk central`, `kiosk sync`: several kiosks and the province's database.

Loaded lazily by the main group (kiosk/cli.py), so a kiosk without psycopg still runs.
Exit codes: 0 done, 1 the central database could not be used (unreachable, refused, wrong
schema version: the timer tries again later), 2 a usage error (bad identity, bad URL, no log).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kiosk import paths

data_option = click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path),
                           help="Data directory. Default: $KIOSK_DATA or the user data dir.")
db_option = click.option("--db", "db", required=True, envvar="KIOSK_CENTRAL_ADMIN_DB",
                         help="The central database as the province's administrator (postgresql://…).")


def fail(message: str, code: int = 1):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _store(data):
    from kiosk.core.data.store import Store, StoreError
    try:
        return Store(paths.db_path(paths.data_dir(data)))
    except StoreError as e:
        fail(str(e), 2)


# --- identity ---------------------------------------------------------------------------------

@click.group("identity")
def identity_group():
    """This kiosk's commune code and kiosk id (on every row it logs)."""


@identity_group.command("set")
@click.option("--commune", required=True, help="The commune's code (the official administrative code where known).")
@click.option("--kiosk", "kiosk_id", required=True, help="This kiosk's id, unique in the province (e.g. 21130-1).")
@data_option
def identity_set(commune, kiosk_id, data):
    """Set the commune and kiosk id, stored in the data directory's log."""
    from kiosk.core.data import identity
    from kiosk.core.data.store import StoreError
    try:
        identity.check(commune, kiosk_id)
    except identity.IdentityError as e:
        fail(str(e), 2)
    store = _store(data)
    try:
        stamped = store.transact(lambda c: identity.write(c, commune, kiosk_id, "cli"))
    except StoreError as e:
        fail(str(e), 1)
    click.echo(f"identity: commune {commune}, kiosk {kiosk_id} ({stamped} earlier row(s) stamped)")
    now = identity.current(store.conn)
    if now.source == "environment" and (now.commune, now.kiosk) != (commune, kiosk_id):
        click.echo(f"note: KIOSK_COMMUNE/KIOSK_ID in the environment override it "
                   f"(commune {now.commune}, kiosk {now.kiosk})", err=True)


@identity_group.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_option
def identity_show(as_json, data):
    """Print the identity in force and where it comes from."""
    from kiosk.core.data import identity
    ident = identity.current(_store(data).conn)
    if as_json:
        click.echo(json.dumps(ident.as_dict()))
    else:
        click.echo(describe(ident.as_dict()))


def describe(ident: dict) -> str:
    if not ident.get("commune") or not ident.get("kiosk"):
        return "not set (`kiosk identity set --commune CODE --kiosk ID`); needed only for sync"
    return f"commune {ident['commune']}, kiosk {ident['kiosk']} (from {ident['source']})"


# --- central ----------------------------------------------------------------------------------

@click.group("central")
def central_group():
    """The province's PostgreSQL database: schema and logins."""


def _admin(db: str):
    from kiosk.central.schema import CentralError, connect
    try:
        return connect(db)
    except CentralError as e:
        fail(str(e), 1)


@central_group.command("init")
@db_option
def central_init(db):
    """Create the central schema in an empty database."""
    from kiosk.central import schema
    with _admin(db) as conn:
        try:
            done = schema.init(conn)
        except schema.CentralError as e:
            fail(str(e), 1)
    click.echo(f"central schema created: version {done[-1]}")


@central_group.command("upgrade")
@db_option
def central_upgrade(db):
    """Bring the central schema up to this software's version."""
    from kiosk.central import schema
    with _admin(db) as conn:
        try:
            done = schema.upgrade(conn)
        except schema.CentralError as e:
            fail(str(e), 1)
    click.echo(f"central schema upgraded to version {done[-1]}" if done
               else f"central schema already at version {schema.SCHEMA_VERSION}")


@central_group.command("refresh")
@db_option
def central_refresh(db):
    """Fold what arrived since the last refresh into the report's rollups (run it on a timer)."""
    from kiosk.central import rollup
    from kiosk.central.report import report_zone
    with _admin(db) as conn:
        out = rollup.refresh(conn, report_zone())
    click.echo("rollups: " + ", ".join(f"{k} through {v['through_seq']}" for k, v in out.items()))


@central_group.command("add-kiosk")
@db_option
@click.option("--commune", required=True, help="The kiosk's commune code.")
@click.option("--kiosk", "kiosk_id", required=True, help="The kiosk's id.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def central_add_kiosk(db, commune, kiosk_id, as_json):
    """A login for one kiosk: adds rows for its own id only. Prints its connection URL."""
    from kiosk.central import roles
    from kiosk.central.schema import CentralError
    from kiosk.core.data.identity import IdentityError
    with _admin(db) as conn:
        try:
            r = roles.add_kiosk(conn, db, commune, kiosk_id)
        except IdentityError as e:
            fail(str(e), 2)
        except CentralError as e:
            fail(str(e), 1)
    if as_json:
        click.echo(json.dumps(r))
    else:
        click.echo(f"kiosk {kiosk_id} (commune {commune}): role {r['role']}\n"
                   f"KIOSK_CENTRAL_DB={r['url']}")


@central_group.command("add-reader")
@db_option
@click.argument("name")
def central_add_reader(db, name):
    """A read-only login NAME for the province's reports. Prints its connection URL."""
    from kiosk.central import roles
    from kiosk.core.data.identity import IdentityError
    with _admin(db) as conn:
        try:
            r = roles.add_reader(conn, db, name)
        except IdentityError as e:
            fail(str(e), 2)
    click.echo(f"reader {name}: role {r['role']}\n{r['url']}")


# --- sync -------------------------------------------------------------------------------------

@click.command("sync")
@click.option("--to", "to", envvar="KIOSK_CENTRAL_DB", required=True,
              help="The central database, as this kiosk's login (postgresql://…; also $KIOSK_CENTRAL_DB).")
@click.option("--batch", type=click.IntRange(1, 100000), default=5000, show_default=True,
              help="Rows per transaction.")
@click.option("--json", "as_json", is_flag=True, help="Print what was sent as JSON.")
@data_option
def sync_cmd(to, batch, as_json, data):
    """Send what the central database does not have yet (safe to stop and run again)."""
    from kiosk.central import queue_db
    from kiosk.central.schema import CentralError
    from kiosk.central.sync import SyncError, sync
    db = paths.db_path(paths.data_dir(data))
    if not db.exists():
        fail(f"no kiosk log at {db} (run the kiosk first, or pass --data)", 2)
    store = _store(data)
    try:
        sent = sync(store, to, batch=batch, queue=queue_db.from_env())
    except SyncError as e:
        fail(str(e), 2)
    except CentralError as e:
        fail(f"{e}; nothing is lost, the next run sends it", 1)
    if as_json:
        click.echo(json.dumps(sent))
    else:
        click.echo("sync: sent " + ", ".join(f"{n} {t}" for t, n in sent["sent"].items()) +
                   f"; {sent['pending']} row(s) wait until their session or ticket is over")
    if "shared_queue" in sent:
        click.echo(f"sync: the shared queue did not answer ({sent['shared_queue']}); its tickets "
                   "of this kiosk go with the next run", err=True)


# --- the province's report (`kiosk report --db …`, kiosk/cli.py) ------------------------------

def central_report(db: str, since, commune, as_json: bool, as_csv: bool, print_text) -> None:
    from kiosk.central.report import build_central_report, central_csv
    from kiosk.central.schema import CentralError, connect
    from kiosk.core.content.lessons import load_catalog
    try:
        with connect(db) as conn, conn.transaction():
            # one snapshot for every figure, even while kiosks keep syncing
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            result = build_central_report(conn, since, load_catalog(paths.lessons_dir()), commune)
    except CentralError as e:
        fail(str(e), 1)
    except Exception as e:  # noqa: BLE001 - psycopg errors: one plain line, not a traceback
        import psycopg
        if not isinstance(e, psycopg.Error):
            raise
        fail(f"the central database could not make the report: {str(e).strip().splitlines()[0]}", 1)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    elif as_csv:
        click.echo(central_csv(result), nl=False)
    else:
        print_text(result)
        for c in result["by_commune"]:
            click.echo(f"  commune {c['commune']:10} kiosks {c['kiosks']:2} visitors {c['visitors']:6} "
                       f"lessons {c['lessons_started']}/{c['lessons_finished']} "
                       f"escalations {c['escalations']['total']}")
