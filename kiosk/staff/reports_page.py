"""The console page "Báo cáo": `kiosk report`'s figures as charts and tables, with CSV and JSON.

From the console's own log, or, with KIOSK_REPORT_DB, from the province's database (commune
filter, month view: kiosk/staff/province.py).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kiosk.core.content.lessons import TOPICS
from kiosk.core.data.report import build_report, parse_since, report_csv
from kiosk.core.data.timeutil import local_today
from kiosk.staff import charts, labels, province


def register(app, page, stores, catalog, report_db: str | None) -> None:
    def report_for(since: str):
        try:
            parse_since(since or None)
        except ValueError:
            return None, "Ngày không hợp lệ (dạng YYYY-MM-DD)."
        return build_report(stores.get(), since or None, catalog), None

    def province_for(since: str, month: str, commune: str):
        pq = province.parse(since, month, commune)
        if pq.error:
            return pq, None, [], pq.error
        r, communes, error = province.report(report_db, pq, catalog)
        return pq, r, communes, error

    @app.get("/reports", response_class=HTMLResponse)
    def reports(request: Request, since: str = "", month: str = "", commune: str = ""):
        if report_db:
            pq, r, communes, error = province_for(since, month, commune)
            query = ("?" + urlencode(pq.params)) if pq.params else ""
            if r is None:
                return page(request, "message.html", code=400 if pq.error else 503, text=error)
            return page(request, "reports.html", r=r, since=pq.since, error=None, charts=_charts(r),
                        province=True, month=pq.month, commune=pq.commune, communes=communes,
                        csv_href="/reports.csv" + query, json_href="/reports.json" + query)
        r, error = report_for(since)
        if r is None:
            r, since = build_report(stores.get(), None, catalog), ""
        return page(request, "reports.html", r=r, since=since, error=error, charts=_charts(r),
                    csv_href="/reports.csv" + (f"?since={quote(since)}" if since else ""),
                    json_href="/reports.json" + (f"?since={quote(since)}" if since else ""))

    @app.get("/reports.csv")
    def reports_csv(request: Request, since: str = "", month: str = "", commune: str = ""):
        if report_db:
            pq, r, _, error = province_for(since, month, commune)
            if r is None:
                return Response(error, status_code=400 if pq.error else 503,
                                media_type="text/plain; charset=utf-8")
            name = f"province-report-{pq.month or local_today()}{'-' + pq.commune if pq.commune else ''}.csv"
            from kiosk.central.report import central_csv
            return Response(central_csv(r), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})
        r, error = report_for(since)
        if r is None:
            return Response(error, status_code=400, media_type="text/plain; charset=utf-8")
        name = f"kiosk-report-{local_today()}.csv"
        return Response(report_csv(r), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/reports.json")
    def reports_json(request: Request, since: str = "", month: str = "", commune: str = ""):
        if report_db:
            pq, r, _, error = province_for(since, month, commune)
            if r is None:
                return JSONResponse({"error": error}, status_code=400 if pq.error else 503)
            return JSONResponse(r)
        r, error = report_for(since)
        if r is None:
            return JSONResponse({"error": error}, status_code=400)
        return JSONResponse(r)


def _charts(r: dict) -> dict:
    g = labels
    last_days = list(r["visitors"]["by_day"].items())[-31:]
    helped_days = list(r["helped"]["by_day"].items())[-31:]
    esc = r["escalations"]
    return {
        "visitors_day": charts.columns([(d[5:], n) for d, n in last_days], title="Lượt khách theo ngày"),
        "helped_day": charts.columns([(d[5:], n) for d, n in helped_days], title="Lượt được giúp theo ngày",
                                     color=charts.BAR_ALT),
        "groups": charts.hbars([(g.GROUPS.get(k, k), n) for k, n in r["visitor_groups"].items()],
                               title="Khách theo nhóm (tự khai)"),
        "outcomes": charts.hbars([(g.OUTCOMES.get(k, k), n) for k, n in esc["by_outcome"].items()],
                                 title="Kết quả hỗ trợ", color=charts.BAR_ALT),
        "categories": charts.hbars([(g.CATEGORIES.get(k, k), n) for k, n in esc["by_category"].items()],
                                   title="Nhóm việc được giúp"),
        "topics": charts.hbars([(TOPICS.get(t["topic"], t["topic"]), t["started"]) for t in r["topics"]],
                               title="Bài học bắt đầu theo chủ đề"),
        "funnels": {l["lesson"]: charts.hbars([(f"Bước {k}", n) for k, n in l["funnel"].items()],
                                              title=f"Số người đến từng bước: {l['title'] or l['lesson']}",
                                              width=460, label_w=80)
                    for l in r["lessons"]},
    }
