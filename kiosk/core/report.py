"""Numbers for the commune's indicators, computed in SQL from the log.

The report reads the small summary tables (sessions, lesson_progress, tickets), so it stays
fast however long the event log grows. Keys of `build_report` are documented in the README.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics

from kiosk.core.lessons import Catalog
from kiosk.core.flow import MODE_NAMES
from kiosk.core.store import Store, utcnow


def parse_since(text: str | None) -> str | None:
    """'2026-11-01' -> an ISO UTC timestamp to compare with; ValueError on bad input."""
    if not text:
        return None
    day = dt.date.fromisoformat(text)
    return f"{day.isoformat()}T00:00:00.000000Z"


def build_report(store: Store, since: str | None = None, catalog: Catalog | None = None) -> dict:
    since_ts = parse_since(since)
    c = store.conn
    cond, args = ("WHERE s.started_at >= ?", [since_ts]) if since_ts else ("", [])

    sessions = c.execute(f"SELECT COUNT(*) FROM sessions s {cond}", args).fetchone()[0]
    durations = [row[0] for row in c.execute(
        f"SELECT (julianday(ended_at) - julianday(started_at)) * 86400 FROM sessions s {cond}"
        f"{' AND' if cond else ' WHERE'} ended_at IS NOT NULL", args)]
    end_reasons = dict(c.execute(
        f"SELECT COALESCE(end_reason, 'open'), COUNT(*) FROM sessions s {cond} GROUP BY 1", args))

    progress = c.execute(
        f"SELECT p.lesson, p.topic, COUNT(*), SUM(p.finished), MAX(p.steps) "
        f"FROM lesson_progress p JOIN sessions s ON s.id = p.session_id {cond} "
        f"GROUP BY p.lesson, p.topic ORDER BY p.topic, p.lesson", args).fetchall()
    stops = c.execute(
        f"SELECT p.lesson, p.max_step, COUNT(*) FROM lesson_progress p "
        f"JOIN sessions s ON s.id = p.session_id {cond}{' AND' if cond else ' WHERE'} p.finished = 0 "
        f"GROUP BY p.lesson, p.max_step", args).fetchall()
    dropoff: dict[str, dict[str, int]] = {}
    for lesson, step, count in stops:
        dropoff.setdefault(lesson, {})[str(step or 0)] = count

    lessons, topics = [], {}
    for lesson, topic, started, finished, steps in progress:
        meta = catalog.get(lesson) if catalog else None
        lessons.append({
            "lesson": lesson, "topic": topic, "title": meta.title if meta else None,
            "steps": steps, "started": started, "finished": finished or 0,
            "dropoff": dict(sorted(dropoff.get(lesson, {}).items(), key=lambda kv: int(kv[0]))),
        })
        t = topics.setdefault(topic, {"topic": topic, "started": 0, "finished": 0})
        t["started"] += started
        t["finished"] += finished or 0

    # accessibility modes: how many sessions used each (the session row keeps the modes used)
    modes = {m: 0 for m in MODE_NAMES}
    for mode, count in c.execute(
            f"SELECT j.value, COUNT(DISTINCT s.id) FROM sessions s, json_each(COALESCE(s.modes, '[]')) j "
            f"{cond} GROUP BY 1", args):
        modes[mode] = count

    tcond, targs = ("WHERE created_at >= ?", [since_ts]) if since_ts else ("", [])
    by_status = dict(c.execute(f"SELECT status, COUNT(*) FROM tickets {tcond} GROUP BY status", targs))
    events = c.execute("SELECT MAX(id) FROM events").fetchone()[0] or 0

    return {
        "generated_at": utcnow(),
        "since": since,
        "sessions": sessions,
        "median_session_seconds": round(statistics.median(durations), 1) if durations else None,
        "end_reasons": end_reasons,
        "lessons_started": sum(l["started"] for l in lessons),
        "lessons_finished": sum(l["finished"] for l in lessons),
        "lessons": lessons,
        "topics": sorted(topics.values(), key=lambda t: t["topic"]),
        "escalations": {"total": sum(by_status.values()), "by_status": by_status},
        "events": events,
        "modes": modes,
    }


def report_csv(report: dict) -> str:
    """One row per figure (metric, topic, lesson, step, value): easy to pivot in a spreadsheet."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["metric", "topic", "lesson", "step", "value"])
    w.writerow(["sessions", "", "", "", report["sessions"]])
    w.writerow(["median_session_seconds", "", "", "", report["median_session_seconds"] or ""])
    for reason, n in sorted(report["end_reasons"].items()):
        w.writerow([f"sessions_ended_{reason}", "", "", "", n])
    w.writerow(["lessons_started", "", "", "", report["lessons_started"]])
    w.writerow(["lessons_finished", "", "", "", report["lessons_finished"]])
    for t in report["topics"]:
        w.writerow(["topic_started", t["topic"], "", "", t["started"]])
        w.writerow(["topic_finished", t["topic"], "", "", t["finished"]])
    for l in report["lessons"]:
        w.writerow(["lesson_started", l["topic"], l["lesson"], "", l["started"]])
        w.writerow(["lesson_finished", l["topic"], l["lesson"], "", l["finished"]])
        for step, n in l["dropoff"].items():
            w.writerow(["stopped_at_step", l["topic"], l["lesson"], step, n])
    for mode, n in report.get("modes", {}).items():
        w.writerow([f"sessions_with_mode_{mode}", "", "", "", n])
    w.writerow(["escalations", "", "", "", report["escalations"]["total"]])
    for status, n in sorted(report["escalations"]["by_status"].items()):
        w.writerow([f"escalations_{status}", "", "", "", n])
    return out.getvalue()
