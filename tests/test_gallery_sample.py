"""`kiosk gallery --sample`: every screen kind, every mode, size and notice state, 0 problems.

The real app in an offscreen window (two worker processes), checked from its widget tree. Slow
(minutes): marked `slow`, and run by CI like every test (`bootstrap.sh test` selects no markers).
What the sample leaves out of the full gallery, and why: kiosk.ui.gallery_jobs.ci_keep.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.gui]

KINDS = {"welcome", "home", "topic", "intro", "step", "finish", "quiz", "drills", "drill",
         "practice", "confirm", "warning", "ticket", "ticket-wait", "ticket-counter", "settings",
         "armed"}


def test_gallery_sample_every_screen_kind_no_problems(kiosk, tmp_path):
    from kiosk.core.lessons import load_catalog
    from kiosk.ui.gallery_jobs import (DEFAULT_MODES, DEFAULT_NOTICES, DEFAULT_SIZES, ci_keep,
                                       jobs_for)
    out = tmp_path / "gallery"
    r = kiosk("gallery", out, "--sample", timeout=5400)
    checks = json.loads((out / "checks.json").read_text(encoding="utf-8"))
    bad = [f"{s['file']}: {p}" for s in checks["screens"] for p in s["problems"]]
    assert r.returncode == 0 and not bad, "\n".join(bad[:40]) + r.stderr[-2000:]
    catalog = load_catalog(ROOT / "lessons")
    jobs = jobs_for(catalog, None, DEFAULT_MODES, DEFAULT_SIZES, DEFAULT_NOTICES, ci_keep)
    screens = checks["screens"]
    assert len(screens) == len(jobs) == checks["summary"]["screens"] > 3000
    # every kind in every mode x size x notice state; every lesson's steps drawn
    seen = {(s["screen"], s["mode"], s["size"], s["notices"]) for s in screens}
    for kind in KINDS - {"armed"}:
        for mode in DEFAULT_MODES:
            for size in DEFAULT_SIZES:
                for notices in DEFAULT_NOTICES:
                    if kind == "practice" and (size == "small" or notices == "call"):
                        continue
                    assert (kind, mode, size, notices) in seen
    steps = {s["lesson"] for s in screens if s["screen"] == "step"}
    assert steps == {l.id for l in catalog.lessons}
    # the bar's controls: one place per window size and mode, whatever the screen
    places = defaultdict(set)
    for s in screens:
        for slot, box in s["bar"].items():
            places[(s["size"], s["mode"], slot)].add(tuple(box))
    assert places and all(len(p) == 1 for p in places.values()), {
        k: v for k, v in places.items() if len(v) > 1}
    # the drawn phone keypad: 20 mm keys 5 mm apart (a check of each practice screen)
    keypads = [s["keypad"] for s in screens if s.get("keypad")]
    assert keypads and all(k["key_mm"] >= 20 and k["gap_mm"] >= 5 for k in keypads)
