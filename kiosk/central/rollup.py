"""Rollups for the province report: counts per commune and local day, kept up to a mark.

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
            cur.execute("TRUNCATE roll_sessions, roll_progress, roll_activity, roll_tickets, rollup_marks")
            have = {}
        for name, table, steps in (("sessions", "sessions", list(_SQL.values())), ("tickets", "tickets", [_TICKETS])):
            old = have.get(name, (0, tz))[0]
            cur.execute(f"SELECT COALESCE(max(seq), 0) FROM {table}")
            new = cur.fetchone()[0]
            if new > old:
                for sql in steps:
                    cur.execute(sql, {"tz": tz, "old": old, "new": new, "kinds": list(ACTIVITY)})
                cur.execute("INSERT INTO rollup_marks (name, seq, tz) VALUES (%s, %s, %s) ON CONFLICT (name) "
                            "DO UPDATE SET seq = excluded.seq, tz = excluded.tz", (name, new, tz))
            out[name] = {"through_seq": max(new, old), "previous": old}
    return out
