"""`kiosk narration status` and `lines`: how much of the kiosk a person has recorded, and how
much of what visitors heard was a human voice."""

from __future__ import annotations

from collections import Counter

from kiosk.narration.store import LABELS, NarrationStore

#: "last month": the 30 days up to now (not the calendar month, which would be empty on the 1st)
SHARE_DAYS = 30


def line_rows(lines, store: NarrationStore) -> list[dict]:
    heard, entries = store.heard_counts(), store.entries()
    out = []
    for line in lines:
        entry = entries.get(line.id) or {}
        state = store.state_of(line, entry or None)
        out.append({"id": line.id, "text": line.text, "where": line.where, "group": line.group,
                    "heard": heard.get(line.id, 0), "status": state, "label": LABELS[state],
                    "score": entry.get("score")})
    return out


def status(lines, store: NarrationStore) -> dict:
    states = Counter(store.state_of(l, e) for l, e in
                     ((l, store.entries().get(l.id)) for l in lines))
    pieces = [l for l in lines if l.piece]
    return {
        "lines": len(lines),
        "recorded": states["recorded"],
        "stale": states["stale"],
        "flagged": states["flagged"],
        "to_confirm": states["to_confirm"],
        "not_recorded": states["none"],
        "pieces": len(pieces),
        "pieces_recorded": sum(store.state_of(l, store.entries().get(l.id)) == "recorded"
                               for l in pieces),
        "human_share_last_month": store.human_share(SHARE_DAYS),
    }
