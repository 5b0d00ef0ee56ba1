"""`kiosk gallery --sample`: every screen kind, every mode, size and notice state, checked.

The real app in an offscreen window (two worker processes), checked from its widget tree. Slow
(about 10 minutes on an idle 2-core machine): marked `slow`, and run by CI like every test
(`bootstrap.sh test` selects no markers). What the sample leaves out of the full gallery, and
why: kiosk.ui.gallery_jobs.ci_keep. The gallery runs once for all the tests of this file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.gui]

KINDS = {"welcome", "home", "topic", "intro", "step", "finish", "quiz", "drills", "drill",
         "practice", "confirm", "warning", "ticket", "ticket-wait", "ticket-counter", "settings"}


def known_gap(screen: dict) -> bool:
    """Screens issue 13 still has problems on (not yet fixed, listed so nothing else regresses):
    large text with a notice row (the notice, a forced caption and 1.6x text leave some screens
    too little height), and the practice copies' phone in large text on a portrait or small
    window (the phone's own texts and the 20 mm keypad do not fit its width)."""
    large = screen["mode"] in ("large", "large-contrast")
    if large and screen["notices"] != "none":
        return True
    phone = screen["screen"] in ("practice", "drill")
    return phone and (large and screen["size"] in ("portrait", "small")
                      or screen["size"] == "small" and screen["notices"] != "none")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from conftest import kiosk_cmd
    out = tmp_path_factory.mktemp("gallery")
    r = kiosk_cmd("gallery", out, "--sample", timeout=5400)
    assert r.returncode in (0, 1), r.stderr[-3000:]  # 1: problems, listed below; 2: broken
    return r, json.loads((out / "checks.json").read_text(encoding="utf-8"))


def test_gallery_sample_draws_every_screen_kind_in_every_state(sample):
    from kiosk.core.content.lessons import load_catalog
    from kiosk.ui.gallery_jobs import (DEFAULT_MODES, DEFAULT_NOTICES, DEFAULT_SIZES, ci_keep,
                                       jobs_for)
    _, checks = sample
    catalog = load_catalog(ROOT / "lessons")
    jobs = jobs_for(catalog, None, DEFAULT_MODES, DEFAULT_SIZES, DEFAULT_NOTICES, ci_keep)
    screens = checks["screens"]
    assert len(screens) == len(jobs) == checks["summary"]["screens"] > 3000
    seen = {(s["screen"], s["mode"], s["size"], s["notices"]) for s in screens}
    for kind in KINDS:
        for mode in DEFAULT_MODES:
            for size in DEFAULT_SIZES:
                for notices in DEFAULT_NOTICES:
                    if kind == "practice" and (size == "small" or notices == "call"):
                        continue
                    assert (kind, mode, size, notices) in seen
    assert {s["lesson"] for s in screens if s["screen"] == "step"} == {l.id for l in catalog.lessons}


def test_gallery_sample_bar_controls_never_move_and_keypad_is_kiosk_sized(sample):
    _, checks = sample
    places = defaultdict(set)
    for s in checks["screens"]:
        for slot, box in s["bar"].items():
            places[(s["size"], s["mode"], slot)].add(tuple(box))
    assert places and all(len(p) == 1 for p in places.values()), {
        k: v for k, v in places.items() if len(v) > 1}
    keypads = [s["keypad"] for s in checks["screens"]
               if s.get("keypad") and not known_gap(s)]
    assert keypads and all(k["key_mm"] >= 20 and k["gap_mm"] >= 5 for k in keypads)


def test_gallery_sample_no_problem_outside_the_known_gaps(sample):
    _, checks = sample
    bad = [f"{s['file']}: {p}" for s in checks["screens"] if not known_gap(s) for p in s["problems"]]
    assert not bad, "\n".join(bad[:40])


@pytest.mark.xfail(strict=True, reason="issue 13: large text with notices and the practice "
                   "phone in large portrait/small still overflow (known_gap)")
def test_gallery_sample_no_problem_at_all(sample):
    r, checks = sample
    assert r.returncode == 0 and checks["summary"]["with_problems"] == 0
