"""The console's Báo cáo page against the province's database (KIOSK_REPORT_DB).

For the province's staff: the same page, read from the central PostgreSQL with a read-only login
(`kiosk central add-reader`), one snapshot (REPEATABLE READ READ ONLY) per page, with a commune
filter and a month view (a month: from its first day to the next month's first day). The figures
are `kiosk report --db`'s (kiosk/central/report.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger("kiosk.staff")

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
COMMUNE_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
UNREACHABLE = "Không đọc được cơ sở dữ liệu của tỉnh. Hãy thử lại sau ít phút."
BAD_MONTH = "Tháng không hợp lệ (dạng YYYY-MM)."
BAD_DAY = "Ngày không hợp lệ (dạng YYYY-MM-DD)."
BAD_COMMUNE = "Mã xã không hợp lệ."


@dataclass
class Query:
    """The page's filters, checked."""
    since: str = ""
    month: str = ""
    commune: str = ""
    error: str | None = None
    until: str | None = None
    params: dict = field(default_factory=dict)


def parse(since: str, month: str, commune: str) -> Query:
    q = Query()
    m = MONTH_RE.match(month or "")
    if month and not (m and 1 <= int(m.group(2)) <= 12):
        q.error = BAD_MONTH
    elif m:
        first = dt.date(int(m.group(1)), int(m.group(2)), 1)
        nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        q.month, q.since, q.until = month, first.isoformat(), nxt.isoformat()
    elif since:
        try:
            q.since = dt.date.fromisoformat(since).isoformat()
        except ValueError:
            q.error = BAD_DAY
    if commune and not COMMUNE_RE.match(commune):
        q.error = BAD_COMMUNE
    elif commune:
        q.commune = commune
    q.params = {k: v for k, v in (("month", q.month), ("since", "" if q.month else q.since),
                                  ("commune", q.commune)) if v}
    return q


def report(url: str, q: Query, catalog) -> tuple[dict | None, list[str], str | None]:
    """(the report, the province's communes, an error for the page)."""
    import psycopg

    from kiosk.central.report import build_central_report
    from kiosk.central.schema import CentralError, connect
    try:
        with connect(url) as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            communes = [r[0] for r in conn.execute("SELECT DISTINCT commune FROM kiosks ORDER BY 1")]
            r = build_central_report(conn, q.since or None, catalog, q.commune or None, until=q.until)
    except (CentralError, psycopg.Error) as e:
        log.error("console: the province report failed: %s", str(e).strip().splitlines()[0] if str(e).strip() else e)
        return None, [], UNREACHABLE
    return r, communes, None
