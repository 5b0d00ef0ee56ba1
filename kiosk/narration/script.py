"""The recording script for the reader: `kiosk narration script -o FILE.html|FILE.csv`.

Grouped by lesson (the kiosk's own lines first when they are heard most), most heard groups
and lines first, each line with its id (the file name to save the recording under), the words
to read as the kiosk says them, and the spoken form of each abbreviation (VNeID: Vê nê ai đi).
Lines already recorded and current are left out unless ``everything``.
"""

from __future__ import annotations

import csv
import html
import io
from collections import defaultdict

from kiosk.narration.store import LABELS, NarrationStore

CSV_FIELDS = ("group", "title", "id", "text", "written", "abbreviations", "heard", "status", "where")


def rows(lines, store: NarrationStore, everything: bool = False,
         titles: dict[str, str] | None = None) -> list[dict]:
    """The script's lines; ``titles``: group id -> the lesson's title, shown to the reader."""
    heard, entries = store.heard_counts(), store.entries()
    out = []
    for line in lines:
        state = store.state_of(line, entries.get(line.id))
        if state == "recorded" and not everything:
            continue
        out.append({"group": line.group, "title": (titles or {}).get(line.group, ""), "id": line.id, "text": line.text, "written": line.written,
                    "abbreviations": "; ".join(f"{w} = {s}" for w, s in line.abbreviations),
                    "heard": heard.get(line.id, 0), "status": LABELS[state], "where": line.where,
                    "order": line.order})
    totals: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    for r in out:
        totals[r["group"]] += r["heard"]
        first.setdefault(r["group"], r["order"])
    out.sort(key=lambda r: (-totals[r["group"]], first[r["group"]], -r["heard"], r["order"]))
    return out


def to_csv(table: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(table)
    return buf.getvalue()


_STYLE = """
body { font-family: 'Be Vietnam Pro', 'Noto Sans', sans-serif; font-size: 14pt; margin: 1.5cm; }
h1 { font-size: 20pt; } h2 { font-size: 16pt; margin-top: 1.2em; break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #444; padding: 6px 8px; vertical-align: top; text-align: left; }
td.read { font-size: 16pt; line-height: 1.5; } .id { font-family: monospace; font-size: 10pt; }
.abbr { font-size: 11pt; color: #333; } tr { break-inside: avoid; }
"""


def to_html(table: list[dict], title: str = "Kịch bản ghi âm lời đọc của kiosk") -> str:
    parts = [f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{html.escape(title)}"
             f"</title><style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>",
             "<p>Đọc chậm, rõ ràng, đúng như chữ in đậm. Lưu mỗi câu thành một tệp, tên tệp là mã "
             "của câu (ví dụ <span class='id'>screen.welcome.m4a</span>).</p>"]
    group = None
    for r in table:
        if r["group"] != group:
            if group is not None:
                parts.append("</table>")
            group = r["group"]
            name = ("Câu chung của kiosk" if group == "kiosk" else
                    f"Bài: {r.get('title') or group}")
            parts.append(f"<h2>{html.escape(name)}</h2><table><tr><th>Mã (tên tệp)</th>"
                         "<th>Câu cần đọc</th><th>Đã nghe</th><th>Trạng thái</th></tr>")
        abbr = (f"<div class='abbr'>Đọc là: {html.escape(r['abbreviations'])}</div>"
                if r["abbreviations"] else "")
        parts.append(f"<tr><td class='id'>{html.escape(r['id'])}</td><td class='read'><b>"
                     f"{html.escape(r['text'])}</b>{abbr}</td><td>{r['heard']}</td>"
                     f"<td>{html.escape(r['status'])}</td></tr>")
    if group is not None:
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
