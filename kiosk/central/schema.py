"""The central PostgreSQL schema: tables, group roles, row-level security, versions.

One table, `schema_versions`, records each applied version. `kiosk central init` applies them
all to an empty database, `kiosk central upgrade` the missing ones; `kiosk sync` compares the
server's version with `SCHEMA_VERSION` and tells a kiosk that is older or newer plainly.

Rows are keyed by (kiosk, local id): see kiosk/core/data/identity.py for why.
"""

from __future__ import annotations

import psycopg

# Column lists shared by the server's tables and the sync's staging tables (same order).
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "sessions": [("commune", "text NOT NULL"), ("kiosk", "text NOT NULL"), ("id", "text NOT NULL"),
                 ("started_at", "timestamptz"), ("ended_at", "timestamptz"), ("end_reason", "text"),
                 ("source", "text"), ("modes", "jsonb"), ("visitor_group", "text")],
    "events": [("commune", "text NOT NULL"), ("kiosk", "text NOT NULL"), ("id", "bigint NOT NULL"),
               ("session_id", "text"), ("ts", "timestamptz"), ("kind", "text"), ("screen", "text"),
               ("lesson", "text"), ("step", "integer"), ("data", "jsonb")],
    "tickets": [("commune", "text NOT NULL"), ("kiosk", "text NOT NULL"), ("id", "bigint NOT NULL"),
                ("number", "text"), ("day", "date"), ("session_id", "text"),
                ("created_at", "timestamptz"), ("status", "text"), ("lesson", "text"),
                ("step", "integer"), ("context", "jsonb"), ("priority", "text"),
                ("counter", "integer"), ("calls", "integer"), ("called_at", "timestamptz"),
                ("first_called_at", "timestamptz"), ("served_at", "timestamptz"),
                ("outcome", "text"), ("category", "text"), ("staff", "text"),
                ("updated_at", "timestamptz")],
    "lesson_progress": [("commune", "text NOT NULL"), ("kiosk", "text NOT NULL"),
                        ("session_id", "text NOT NULL"), ("lesson", "text NOT NULL"),
                        ("topic", "text"), ("started_at", "timestamptz"), ("max_step", "integer"),
                        ("steps", "integer"), ("finished", "integer"), ("finished_at", "timestamptz")],
}
KEYS = {"sessions": "kiosk, id", "events": "kiosk, id", "tickets": "kiosk, id",
        "lesson_progress": "kiosk, session_id, lesson"}
DATA_TABLES = tuple(COLUMNS)
KIOSK_GROUP, REPORT_GROUP = "hcc_kiosk", "hcc_report"


class CentralError(Exception):
    """The central database cannot be used. English message for logs and the CLI."""


def connect(url: str, **kw) -> psycopg.Connection:
    """Connect with a short timeout; an unreachable server is a CentralError, said plainly."""
    if not url.startswith(("postgresql://", "postgres://")):
        raise CentralError(f"the central database must be a postgresql:// URL, not {url!r}")
    try:
        # autocommit: every `with conn.transaction()` is then a real transaction that commits at
        # its end (not a savepoint inside one long implicit transaction a kill would undo)
        return psycopg.connect(url, connect_timeout=10, autocommit=True, **kw)
    except psycopg.OperationalError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise CentralError(f"cannot reach the central database: {first}") from e


def _create_role(cur, name: str) -> None:
    cur.execute(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') "
                f"THEN CREATE ROLE {name} NOLOGIN; END IF; END $$")


def _v1(cur) -> None:
    """Tables, the kiosk mapping, roles and row-level security."""
    cur.execute("CREATE TABLE kiosks (kiosk text PRIMARY KEY, commune text NOT NULL, "
                "role text UNIQUE NOT NULL, created_at timestamptz NOT NULL DEFAULT now())")
    for table, cols in COLUMNS.items():
        body = ", ".join(f"{c} {t}" for c, t in cols)
        cur.execute(f"CREATE TABLE {table} ({body}, PRIMARY KEY ({KEYS[table]}))")
    cur.execute("CREATE INDEX events_kind_ts ON events (kind, ts)")
    cur.execute("CREATE INDEX events_session ON events (kiosk, session_id)")
    cur.execute("CREATE INDEX sessions_started ON sessions (started_at)")
    cur.execute("CREATE INDEX tickets_created ON tickets (created_at)")
    _create_role(cur, KIOSK_GROUP)
    _create_role(cur, REPORT_GROUP)
    own = "(SELECT k.kiosk FROM kiosks k WHERE k.role = current_user)"
    cur.execute("GRANT SELECT ON schema_versions, kiosks TO hcc_kiosk, hcc_report")
    cur.execute("ALTER TABLE kiosks ENABLE ROW LEVEL SECURITY")
    cur.execute("CREATE POLICY own_kiosk ON kiosks FOR SELECT TO hcc_kiosk USING (role = current_user)")
    cur.execute("CREATE POLICY province ON kiosks FOR SELECT TO hcc_report USING (true)")
    for table in DATA_TABLES:
        # a kiosk adds rows only (no UPDATE, DELETE, TRUNCATE) and only under its own id and
        # commune; it reads back only its own rows; the province's reporting role reads all
        cur.execute(f"GRANT SELECT, INSERT ON {table} TO hcc_kiosk")
        cur.execute(f"GRANT SELECT ON {table} TO hcc_report")
        cur.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        cur.execute(f"CREATE POLICY own_rows_in ON {table} FOR INSERT TO hcc_kiosk WITH CHECK "
                    f"((kiosk, commune) IN (SELECT k.kiosk, k.commune FROM kiosks k "
                    f"WHERE k.role = current_user))")
        cur.execute(f"CREATE POLICY own_rows_out ON {table} FOR SELECT TO hcc_kiosk "
                    f"USING (kiosk IN {own})")
        cur.execute(f"CREATE POLICY province ON {table} FOR SELECT TO hcc_report USING (true)")


def _v2(cur) -> None:
    """Report speed: the province report filters events by kind and groups by commune."""
    cur.execute("CREATE INDEX events_kind_commune ON events (kind, commune)")
    cur.execute("CREATE INDEX progress_commune ON lesson_progress (commune, lesson)")


def _v3(cur) -> None:
    """Rollups for the province report (kiosk/central/rollup.py): sessions and tickets get an
    arrival number (`seq`); rollup tables hold counts per commune and local day up to a mark."""
    for table in ("sessions", "tickets"):
        cur.execute(f"ALTER TABLE {table} ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY")
        cur.execute(f"CREATE INDEX {table}_seq ON {table} (seq)")
    cur.execute("CREATE TABLE rollup_marks (name text PRIMARY KEY, seq bigint NOT NULL, tz text NOT NULL)")
    cur.execute("CREATE TABLE roll_sessions (commune text, day date, end_reason text, visitor_group text, "
                "modes jsonb, n bigint)")
    cur.execute("CREATE TABLE roll_progress (commune text, day date, lesson text, topic text, "
                "max_step integer, finished integer, steps integer, n bigint)")
    cur.execute("CREATE TABLE roll_activity (commune text, day date, kind text, practice text, drill text, "
                "lesson text, first_try boolean, is_right boolean, is_first boolean, n bigint)")
    cur.execute("CREATE TABLE roll_tickets (commune text, day date, status text, outcome text, "
                "category text, priority text, served_day date, n bigint)")
    for table in ("roll_sessions", "roll_progress", "roll_activity", "roll_tickets"):
        cur.execute(f"CREATE INDEX {table}_day ON {table} (day, commune)")
    cur.execute("GRANT SELECT ON rollup_marks, roll_sessions, roll_progress, roll_activity, roll_tickets "
                "TO hcc_report")


ROLL_TABLES = ("roll_sessions", "roll_progress", "roll_activity", "roll_tickets", "roll_durations")
# the expressions the medians are taken of (kiosk/central/rollup.py), indexed for the report
SESSION_SECONDS = "extract(epoch FROM ended_at - started_at)"
WAIT_SECONDS = "extract(epoch FROM first_called_at - created_at)"


def _v4(cur) -> None:
    """Report speed over a province's year (kiosk/central/rollup.py): the same rollups per month
    (`*_month`, whole months read from there, days only for a partial month), visitors and
    helped per day in two small tables, and histograms of session and waiting times (10-second
    buckets with their smallest and largest value) so that a median reads one bucket's rows, by
    an index on the duration, instead of every session and ticket."""
    cur.execute("CREATE TABLE roll_durations (commune text, day date, kind text, bucket integer, "
                "n bigint, lo numeric, hi numeric)")
    cur.execute("CREATE TABLE roll_visitors (commune text, day date, n bigint)")
    cur.execute("CREATE TABLE roll_helped (commune text, day date, served_day date, n bigint)")
    for table in ("roll_durations", "roll_visitors", "roll_helped"):
        cur.execute(f"CREATE INDEX {table}_day ON {table} (day, commune)")
    for table in ROLL_TABLES:
        cur.execute(f"CREATE TABLE {table}_month (LIKE {table})")
        cur.execute(f"CREATE INDEX {table}_month_day ON {table}_month (day, commune)")
    cur.execute(f"CREATE INDEX sessions_seconds ON sessions (({SESSION_SECONDS}))")
    cur.execute(f"CREATE INDEX tickets_wait_seconds ON tickets (({WAIT_SECONDS}))")
    cur.execute("GRANT SELECT ON " + ", ".join(
        [*(f"{t}_month" for t in ROLL_TABLES), "roll_durations", "roll_visitors", "roll_helped"])
        + " TO hcc_report")
    # rollups of version 3 have no month rows nor histograms: the next refresh starts again
    # (until then the report reads the rows directly, exact as always)
    cur.execute("TRUNCATE rollup_marks, roll_sessions, roll_progress, roll_activity, roll_tickets")


VERSIONS = [(1, "tables, kiosk mapping, roles, row-level security", _v1),
            (2, "indexes for the province report", _v2),
            (3, "rollups for the province report", _v3),
            (4, "month rollups and duration histograms for the province report", _v4)]
SCHEMA_VERSION = VERSIONS[-1][0]


def server_version(conn: psycopg.Connection) -> int | None:
    """The server's schema version; None when `kiosk central init` has not been run."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('schema_versions') IS NOT NULL")
        if not cur.fetchone()[0]:
            return None
        cur.execute("SELECT max(version) FROM schema_versions")
        return cur.fetchone()[0]


def _apply(conn: psycopg.Connection, since: int, upto: int) -> list[int]:
    done = []
    with conn.transaction(), conn.cursor() as cur:
        # one upgrade at a time, even if two operators run it at once
        cur.execute("SELECT pg_advisory_xact_lock(190019)")
        cur.execute("CREATE TABLE IF NOT EXISTS schema_versions (version integer PRIMARY KEY, "
                    "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
        cur.execute("SELECT COALESCE(max(version), 0) FROM schema_versions")
        since = max(since, cur.fetchone()[0])
        for version, description, step in VERSIONS:
            if since < version <= upto:
                step(cur)
                cur.execute("INSERT INTO schema_versions (version, description) VALUES (%s, %s)",
                            (version, description))
                done.append(version)
    return done


def init(conn: psycopg.Connection, upto: int = SCHEMA_VERSION) -> list[int]:
    """Create the schema in a database that has none. `upto` is for tests of older servers."""
    have = server_version(conn)
    if have is not None:
        raise CentralError(f"the central database already has schema version {have}; "
                           "use `kiosk central upgrade`")
    return _apply(conn, 0, upto)


def upgrade(conn: psycopg.Connection) -> list[int]:
    have = server_version(conn)
    if have is None:
        raise CentralError("the central database has no kiosk schema yet; use `kiosk central init`")
    if have > SCHEMA_VERSION:
        raise CentralError(f"the central database has schema version {have}, newer than this "
                           f"kiosk software ({SCHEMA_VERSION}); update the software first")
    return _apply(conn, have, SCHEMA_VERSION)


def check_version(conn: psycopg.Connection) -> int:
    """For a kiosk about to sync: the same version as ours, or a plain message why not."""
    have = server_version(conn)
    if have is None:
        raise CentralError("the central database has no kiosk schema yet: the province must run "
                           "`kiosk central init`")
    if have < SCHEMA_VERSION:
        raise CentralError(f"the central database has schema version {have}, older than this kiosk's "
                           f"({SCHEMA_VERSION}): the province must run `kiosk central upgrade`")
    if have > SCHEMA_VERSION:
        raise CentralError(f"the central database has schema version {have}, newer than this kiosk's "
                           f"({SCHEMA_VERSION}): update this kiosk's software")
    return have
