"""Rollups for the province report: counts per commune and local day (and month), up to a mark.

Plain tables (not materialized views) so that a refresh adds only what arrived since the last
one: every session and ticket gets an arrival number (`seq`) on the server, and
`kiosk central refresh` folds the rows between the last mark and now into `roll_*` tables. The
report adds the rollups to the same queries over the rows after the mark, so it is exact
whether or not a refresh ran lately (only slower). Lesson progress and practice, drill and quiz
answers are rolled up with their session (a kiosk sends a session's events before the session).

The refresh takes a SHARE lock on sessions and tickets: it waits for syncs in progress and holds
new ones for its few seconds, so no row with a lower `seq` can commit after the mark.
"""

from __future__ import annotations

ACTIVITY = ("practice_start", "practice_finish", "drill_answer", "quiz_answer")

_SQL = {
    "roll_sessions": """
INSERT INTO roll_sessions
SELECT s.commune, (s.started_at AT TIME ZONE %(tz)s)::date, COALESCE(s.end_reason, 'open'),
       COALESCE(s.visitor_group, 'none'), COALESCE(s.modes, '[]'::jsonb), count(*)
FROM sessions s WHERE s.seq > %(old)s AND s.seq <= %(new)s GROUP BY 1, 2, 3, 4, 5""",
    "roll_progress": """
INSERT INTO roll_progress
SELECT s.commune, (s.started_at AT TIME ZONE %(tz)s)::date, p.lesson, p.topic, p.max_step, p.finished,
       max(p.steps), count(*)
FROM lesson_progress p JOIN sessions s ON s.kiosk = p.kiosk AND s.id = p.session_id
WHERE s.seq > %(old)s AND s.seq <= %(new)s GROUP BY 1, 2, 3, 4, 5, 6""",
    "roll_activity": """
INSERT INTO roll_activity
SELECT s.commune, (s.started_at AT TIME ZONE %(tz)s)::date, e.kind, e.data->>'practice',
       e.data->>'drill', e.data->>'lesson', e.data->'first_try' = 'true', e.data->'right' = 'true',
       e.data->'first' = 'true', count(*)
FROM events e JOIN sessions s ON s.kiosk = e.kiosk AND s.id = e.session_id
WHERE s.seq > %(old)s AND s.seq <= %(new)s AND e.kind = ANY(%(kinds)s) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9""",
}
_TICKETS = """
INSERT INTO roll_tickets
SELECT t.commune, (t.created_at AT TIME ZONE %(tz)s)::date, t.status, t.outcome,
       COALESCE(t.category, 'none'), COALESCE(t.priority, 'none'),
       CASE WHEN t.status = 'served' THEN (t.served_at AT TIME ZONE %(tz)s)::date END, count(*)
FROM tickets t WHERE t.seq > %(old)s AND t.seq <= %(new)s GROUP BY 1, 2, 3, 4, 5, 6, 7"""


# Schema version 4: histograms of the durations the report takes medians of, visitors and helped
# per day, then every rollup summed per month (kiosk/central/schema.py _v4).
_SQL4 = {
    "sessions": ["""
INSERT INTO roll_durations
SELECT s.commune, (s.started_at AT TIME ZONE %(tz)s)::date, 'session', floor(d / 10)::int, count(*), min(d), max(d)
FROM sessions s, LATERAL (SELECT extract(epoch FROM s.ended_at - s.started_at) AS d) x
WHERE s.seq > %(old)s AND s.seq <= %(new)s AND s.ended_at IS NOT NULL GROUP BY 1, 2, 4""", """
INSERT INTO roll_visitors
SELECT s.commune, (s.started_at AT TIME ZONE %(tz)s)::date, count(*)
FROM sessions s WHERE s.seq > %(old)s AND s.seq <= %(new)s GROUP BY 1, 2"""],
    "tickets": ["""
INSERT INTO roll_durations
SELECT t.commune, (t.created_at AT TIME ZONE %(tz)s)::date, 'wait', floor(d / 10)::int, count(*), min(d), max(d)
FROM tickets t, LATERAL (SELECT extract(epoch FROM t.first_called_at - t.created_at) AS d) x
WHERE t.seq > %(old)s AND t.seq <= %(new)s AND t.first_called_at IS NOT NULL GROUP BY 1, 2, 4""", """
INSERT INTO roll_helped
SELECT t.commune, (t.created_at AT TIME ZONE %(tz)s)::date, (t.served_at AT TIME ZONE %(tz)s)::date, count(*)
FROM tickets t WHERE t.seq > %(old)s AND t.seq <= %(new)s AND t.status = 'served'
AND t.served_at IS NOT NULL GROUP BY 1, 2, 3"""],
}
FIRST_DAY = {"sessions": "SELECT min((started_at AT TIME ZONE %(tz)s)::date) FROM sessions "
                         "WHERE seq > %(old)s AND seq <= %(new)s",
             "tickets": "SELECT min((created_at AT TIME ZONE %(tz)s)::date) FROM tickets "
                        "WHERE seq > %(old)s AND seq <= %(new)s"}
# Each day table summed per month: its columns (day first of the month), n summed, the rest as said.
MONTHS = {
    "roll_sessions": ("commune, DAY, end_reason, visitor_group, modes, sum(n)", 5),
    "roll_progress": ("commune, DAY, lesson, topic, max_step, finished, max(steps), sum(n)", 6),
    "roll_activity": ("commune, DAY, kind, practice, drill, lesson, first_try, is_right, is_first, sum(n)", 9),
    # served_day is per day in roll_helped; a month row does not need it (one row, not thirty)
    "roll_tickets": ("commune, DAY, status, outcome, category, priority, NULL::date, sum(n)", 6),
    "roll_durations": ("commune, DAY, kind, bucket, sum(n), min(lo), max(hi)", 4),
}


def _months(cur, since) -> None:
    """Sum the day rollups from the month of `since` on into the month tables, again."""
    for table, (cols, keys) in MONTHS.items():
        cur.execute(f"DELETE FROM {table}_month WHERE day >= date_trunc('month', %s::date)::date", (since,))
        select = cols.replace("DAY", "date_trunc('month', day)::date")
        group = ", ".join(str(i) for i in range(1, keys + 1))
        cur.execute(f"INSERT INTO {table}_month SELECT {select} FROM {table} "
                    f"WHERE day >= date_trunc('month', %s::date)::date GROUP BY {group}", (since,))


def marks(cur) -> dict[str, tuple[int, str]]:
    cur.execute("SELECT name, seq, tz FROM rollup_marks")
    return {name: (seq, tz) for name, seq, tz in cur.fetchall()}


def refresh(conn, tz: str) -> dict:
    """Fold what arrived since the last refresh into the rollups (all of it when the zone
    changed). Returns the new marks and how many rows were folded."""
    out = {}
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("LOCK TABLE sessions, tickets IN SHARE MODE")
        have = marks(cur)
        if any(z != tz for _, z in have.values()):  # days of another zone: start again
            cur.execute("TRUNCATE rollup_marks, " + ", ".join(
                [*MONTHS, *(f"{t}_month" for t in MONTHS), "roll_visitors", "roll_helped"]))
            have = {}
        first_day = None
        for name, table, steps in (("sessions", "sessions", list(_SQL.values())), ("tickets", "tickets", [_TICKETS])):
            old = have.get(name, (0, tz))[0]
            cur.execute(f"SELECT COALESCE(max(seq), 0) FROM {table}")
            new = cur.fetchone()[0]
            if new > old:
                args = {"tz": tz, "old": old, "new": new, "kinds": list(ACTIVITY)}
                for sql in steps + _SQL4[name]:
                    cur.execute(sql, args)
                cur.execute(FIRST_DAY[name], args)
                day = cur.fetchone()[0]
                first_day = day if first_day is None or (day and day < first_day) else first_day
                cur.execute("INSERT INTO rollup_marks (name, seq, tz) VALUES (%s, %s, %s) ON CONFLICT (name) "
                            "DO UPDATE SET seq = excluded.seq, tz = excluded.tz", (name, new, tz))
            out[name] = {"through_seq": max(new, old), "previous": old}
        if first_day is not None:  # usually this month only; a kiosk's late rows, from their month
            _months(cur, first_day)
    return out
