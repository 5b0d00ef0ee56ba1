"""`kiosk gallery`: every screen of every lesson, in every mode and window size, as PNG files.

One Kivy window per process: a worker renders many screens by setting the runtime's state,
resizing the window and drawing, then checks the real widget tree of each screen and saves a
screenshot. `build_gallery` splits the jobs over at most two worker processes and writes
DIR/index.html (a contact sheet) and DIR/checks.json (every problem found).

Checks on each screen, from the widgets as drawn:
- every label's text fits its box and the window (nothing clipped, cut off or overlapping);
- in large-text mode every text is at least 1.6 times its normal size;
- every control is at least 20 mm and controls are at least 5 mm apart on the configured panel;
- text/background contrast at least 7:1 in high contrast (4.5:1 otherwise);
- the screen has a spoken line, and (captions mode) a caption on screen;
- every control is reachable from the keypad;
- nothing drawn outside its area or cut short, the practice copies' keypad at 20 mm / 5 mm, no two
  simple-mode choices with one picture, and (across screens) the bar's controls never move
  (kiosk.ui.gallery_checks).
What is drawn (every screen kind, in each notice state): kiosk.ui.gallery_jobs.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from kiosk.ui.snapshot import save_window_png

from kiosk.ui import gallery_checks as GC
from kiosk.ui.gallery_jobs import (DEFAULT_MODES, DEFAULT_NOTICES, DEFAULT_SIZES,  # noqa: F401
                                   GLOBAL_SCREENS, MODES, NOTICE_STATES, SIZES, jobs_for,
                                   notices_for, screens_for, state_for)

FRAMES = 1  # frames drawn before a screen is checked and saved (layout settles within one)
MORE_FRAMES = 24  # at most, while a screen that does not fit is moved into a scroll region


# --- the checks (from the real widget tree) ------------------------------------------------

_box, _inside, _is_child = GC.box_of, GC.inside, GC.within  # one copy, in gallery_checks


def _distance(a, b) -> float:
    dx = max(b[0] - a[2], a[0] - b[2], 0)
    dy = max(b[1] - a[3], a[1] - b[3], 0)
    if dx == 0 and dy == 0:
        return -1.0  # overlapping
    return (dx * dx + dy * dy) ** 0.5 if dx and dy else max(dx, dy)


def _bg_of(w, default):
    seen = 0
    while w is not None and seen < 100:
        bg = getattr(w, "bg", None)
        if bg is not None and bg[3] > 0:
            return bg
        w, seen = (w.parent if w.parent is not w else None), seen + 1
    return default


def inspect_screen(app, job: dict) -> dict:
    """Check the screen now drawn; returns the record for checks.json."""
    from kivy.core.window import Window
    from kivy.uix.image import Image
    from kivy.uix.label import Label

    from kiosk.core.screens import keys as K
    from kiosk.core.screens import layout as L
    from kiosk.ui.widgets import visible_controls
    from kiosk.ui.theme import contrast, min_contrast

    state = app.runtime.state
    view = app.view
    W, H = Window.size
    panel = app.panel
    ppmm = panel.px_per_mm
    problems: list[str] = []
    window_box = (0, 0, W, H)

    def short(text):
        return " ".join(text.split())[:50]

    labels = [w for w in app.root_box.walk(restrict=True)
              if isinstance(w, Label) and w.text and w.opacity > 0]
    # the drawn phone of a practice copy is a miniature of a real one: its elements are checked
    # as a phone's (the keypad at kiosk sizes), the kiosk's own controls as the kiosk's
    everything = visible_controls(app.root_box)
    phone = [c for c in everything if GC.on_phone(c)]
    controls = [c for c in everything if not GC.on_phone(c)]
    control_boxes = [(_box(c), c) for c in controls]
    areas = GC.Areas(app, window_box)  # a screen that scrolls (kiosk.ui.scroll_fit)

    # 1. text fits its box and the window; nothing outside the window
    for lab in labels:
        tw, th = lab.texture_size
        box = _box(lab)
        if tw > lab.width + 2 or th > lab.height + 2:
            problems.append(f"text does not fit its box ({tw:.0f}x{th:.0f} in "
                            f"{lab.width:.0f}x{lab.height:.0f}): '{short(lab.text)}'")
        if not _inside(box, areas.allowed(lab)):
            problems.append(f"text outside the window: '{short(lab.text)}'")
        owner = next((c for c in controls if lab is c or _is_child(lab, c)), None)
        if owner is not None and owner is not lab and not _inside(box, _box(owner)):
            problems.append(f"text spills out of its button: '{short(lab.text)}'")
    for w in app.root_box.walk(restrict=True):
        if isinstance(w, Image) and w.opacity > 0 and not _inside(_box(w), areas.allowed(w)):
            problems.append("picture outside the window")

    # 2. labels that are not part of a control do not overlap anything
    free = [l for l in labels if not any(l is c or _is_child(l, c) for c in controls)]
    boxes = [(_box(l), f"'{short(l.text)}'", l) for l in free] + [
        (b, f"button '{c.tap_label}'", c) for b, c in control_boxes]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            pair = areas.pair(boxes[i][2], boxes[i][0], boxes[j][2], boxes[j][0])
            if pair and _distance(*pair) < 0 and _overlap_area(*pair) > 4:
                problems.append(f"overlap: {boxes[i][1]} and {boxes[j][1]}")

    # 3. touch targets and gaps
    need_target, need_gap = L.TARGET_MM * ppmm, L.GAP_MM * ppmm
    min_target = min((min(c.width, c.height) for c in controls), default=None)
    for b, c in control_boxes:
        if c.width < need_target - 0.5 or c.height < need_target - 0.5:
            problems.append(f"target too small: '{c.tap_label}' {c.width:.0f}x{c.height:.0f} px "
                            f"(< {need_target:.0f} px = 20 mm)")
        if not _inside(b, areas.allowed(c)):
            problems.append(f"button outside the window: '{c.tap_label}'")
    min_gap = None
    for i in range(len(control_boxes)):
        for j in range(i + 1, len(control_boxes)):
            pair = areas.pair(control_boxes[i][1], control_boxes[i][0],
                              control_boxes[j][1], control_boxes[j][0])
            if pair is None:
                continue
            d = _distance(*pair)
            min_gap = d if min_gap is None else min(min_gap, d)
            if d < need_gap - 0.5:
                problems.append(f"buttons too close: '{control_boxes[i][1].tap_label}' and "
                                f"'{control_boxes[j][1].tap_label}' {max(d, 0):.0f} px (< {need_gap:.0f} px = 5 mm)")

    # 4. contrast of every text against what is behind it
    need = min_contrast(state.modes.high_contrast)
    worst = None
    for lab in labels:
        ratio = contrast(tuple(lab.color), _bg_of(lab, tuple(Window.clearcolor)))
        worst = ratio if worst is None else min(worst, ratio)
        if ratio < need - 0.01:
            problems.append(f"contrast {ratio:.1f}:1 < {need}:1: '{short(lab.text)}'")

    # 5. large text: every text at least 1.6 x its normal size (same window)
    if state.modes.large_text:
        normal = L.sizes_for(W, H, False, panel).text_sizes()
        for lab in [l for l in labels if not GC.in_miniature(l)]:
            role = getattr(lab, "role", None)
            if role in normal and lab.font_size < normal[role] * L.LARGE_FACTOR - 0.01:
                problems.append(f"large text only {lab.font_size / normal[role]:.2f}x: '{short(lab.text)}'")
        # the words inside a step's picture are part of the drawing: they grow with large
        # text as far as the drawn phone still fits its frame (kiosk.ui.picture_fit); a practice
        # copy's phone is a miniature with a phone's own sizes
        unknown = [l for l in labels if getattr(l, "role", None) not in normal
                   and getattr(l, "role", None) != "picture" and not GC.in_miniature(l)]
        for lab in unknown:
            problems.append(f"text without a size role: '{short(lab.text)}'")

    # 6. spoken line and caption
    spoken = app.runtime.flow.spoken(state)
    if not spoken.strip():
        problems.append("no spoken line")
    caption = None
    if state.modes.captions:
        strips = [l for l in labels if getattr(l, "name", None) == "caption"]
        caption = strips[0].text if strips else ""
        if not caption.strip():
            problems.append("captions mode without a caption on screen")

    # 7. every control reachable by keypad
    cs = K.controls(view)
    reach = K.reachable(view, state)
    for i, c in enumerate(cs):
        if i not in reach:
            problems.append(f"not reachable by keypad: '{c.label}'")
    for c in controls:
        if not any(c.choice == x for x in cs):
            problems.append(f"button not in the key map: '{c.tap_label}'")
    digits = [c.key for c in cs if c.key and c.key.isdigit()]
    if len(digits) != len(set(digits)):
        problems.append(f"two controls share a key: {digits}")
    if view.focus is None and cs:
        problems.append("no focused control")

    # 8. the phone: keypad keys 20 mm and 5 mm apart, nothing of it over the kiosk's controls
    problems += GC.phone_checks(phone, controls, ppmm, areas)
    # 9. nothing cut short, nothing outside its area, no two choices with one picture
    problems += GC.shortened(labels)
    problems += GC.outside_region(app, labels, controls, areas)
    problems += areas.problems(labels)
    problems += GC.shared_pictures(view)
    # 10. a picture's pointer at its control, as the control is drawn
    problems += GC.pointers(app.root_box)

    return {
        "file": job["file"], "size": job["size"], "mode": job["mode"], "id": job["id"],
        "notices": job.get("notices", "none"), "bar": GC.bar_places(app, controls),
        "keypad": GC.keypad_figures(phone, ppmm), "scroll": areas.figures(),
        "big_px": next((round(l.font_size) for l in labels if getattr(l, "role", None) == "big"), None),
        "screen": job["screen"], "lesson": job.get("lesson"), "step": job.get("step"),
        "window": [W, H], "problems": problems, "spoken": spoken, "caption": caption,
        "keys": {cs[i].label: how for i, how in reach.items()},
        "labels": len(labels), "controls": len(controls),
        "min_target_mm": round(min_target / ppmm, 1) if min_target else None,
        "min_gap_mm": round(min_gap / ppmm, 1) if min_gap is not None else None,
        "min_contrast": round(worst, 2) if worst else None,
    }


def _overlap_area(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


# --- the worker (one window) -----------------------------------------------------------------

def run_worker(job_file: Path) -> int:
    spec = json.loads(Path(job_file).read_text(encoding="utf-8"))
    out = Path(spec["out"])
    data = Path(spec["data"])
    jobs = spec["jobs"]
    from kiosk.ui.env import prepare
    # The offscreen surface keeps its first size: make it big enough for every size drawn.
    sizes = [SIZES[j["size"]] for j in jobs] or [(1920, 1080)]
    prepare(True, (max(w for w, _ in sizes), max(h for _, h in sizes)), data)
    from kivy.config import Config
    Config.set("graphics", "maxfps", "0")
    from kivy.clock import Clock
    from kivy.core.window import Window

    from dataclasses import replace

    from kiosk.core.visit.access import config_from_env
    from kiosk.core.content.lessons import load_catalog
    from kiosk.core.runtime import Runtime
    from kiosk.ui.app import KioskApp

    catalog = load_catalog(Path(spec["lessons"]))
    runtime = Runtime(catalog, None, config=config_from_env(), source="gallery")
    app = KioskApp(runtime, data)
    # each screen's record as JSON text: strings are not tracked by the cyclic collector, so the
    # collection after every screen does not walk thousands of records of the screens before
    results: list[str] = []
    it = iter(jobs)

    def frames(n, then, more=MORE_FRAMES):
        if n <= 0 and app.settling and more > 0:  # kiosk.ui.scroll_fit: measuring, growing
            Clock.schedule_once(lambda *_: frames(0, then, more - 1), 0)
        elif n <= 0:
            then()
        else:
            Clock.schedule_once(lambda *_: frames(n - 1, then), 0)

    def next_job(*_):
        job = next(it, None)
        if job is None:
            Path(spec["result"]).write_text("[" + ",\n".join(results) + "]", encoding="utf-8")
            app.stop()
            return
        size = SIZES[job["size"]]
        if tuple(Window.size) != size:
            Window.size = size
        now = runtime.now()
        runtime.state = replace(state_for(job, catalog), last_input=now, warned_at=now)
        notices, forced = notices_for(job)
        runtime.notices.clear()
        runtime.notices.update(notices)
        app.captions_forced = forced
        app.caption, app.caption_key, app.said_lines = "", None, []
        app.render()
        frames(FRAMES, lambda: shoot(job))

    def shoot(job):
        try:
            record = inspect_screen(app, job)
        except Exception as e:  # a bug in a check must not hide the other screens
            record = {"file": job["file"], "size": job["size"], "mode": job["mode"],
                      "id": job["id"], "screen": job["screen"], "problems": [f"check failed: {e}"]}
        save_window_png(out / job["file"])
        results.append(json.dumps(record, ensure_ascii=False))
        Clock.schedule_once(next_job, 0)

    def start(*_):
        # as the kiosk does after its first frame: the catalog and the app out of the cyclic
        # collector's way, or the collection after every screen walks them (a third of the time)
        from kiosk.ui.launch import quiet_gc
        quiet_gc()
        Clock.schedule_once(next_job, 0.1)

    app.bind(on_start=start)
    app.run()
    return 0


# --- the whole gallery ---------------------------------------------------------------------

def build_gallery(out: Path, lessons: Path, data: Path, lesson_ids=None, modes=DEFAULT_MODES,
                  sizes=DEFAULT_SIZES, workers: int = 2, log=print, notices=DEFAULT_NOTICES,
                  keep=None) -> dict:
    from kiosk.core.content.lessons import load_catalog
    catalog = load_catalog(lessons)
    jobs = jobs_for(catalog, lesson_ids, modes, sizes, notices, keep)
    out.mkdir(parents=True, exist_ok=True)
    data.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(2, workers, len(jobs)))
    parts = [jobs[i::workers] for i in range(workers)]
    procs = []
    t0 = time.monotonic()
    for i, part in enumerate(parts):
        job_file = data / f"gallery-jobs-{i}.json"
        result = data / f"gallery-result-{i}.json"
        result.unlink(missing_ok=True)
        job_file.write_text(json.dumps({"out": str(out), "data": str(data / f"w{i}"),
                                        "lessons": str(lessons), "jobs": part,
                                        "result": str(result)}, ensure_ascii=False),
                            encoding="utf-8")
        env = dict(os.environ, KIVY_NO_CONSOLELOG="1")
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        procs.append((subprocess.Popen([sys.executable, "-m", "kiosk.ui.gallery", str(job_file)],
                                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True), result))
    log(f"gallery: drawing {len(jobs)} screens with {len(procs)} worker(s) -> {out}")
    records: list[dict] = []
    failures = []
    for proc, result in procs:
        stdout, stderr = _wait(proc, lambda: log(
            f"gallery: {_drawn(out, jobs, t0)}/{len(jobs)} screens drawn, "
            f"{time.monotonic() - t0:.0f} s"))
        if proc.returncode != 0 or not result.exists():
            failures.append(stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {proc.returncode}")
            continue
        records += json.loads(result.read_text(encoding="utf-8"))
    order = {j["file"]: n for n, j in enumerate(jobs)}
    records.sort(key=lambda r: order.get(r["file"], 0))
    GC.bar_consistency(records)  # across screens: the bar's controls never move
    summary = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "screens": len(records), "expected": len(jobs),
        "with_problems": sum(1 for r in records if r["problems"]),
        "scrolling": sum(1 for r in records if r.get("scroll")),  # kiosk.ui.scroll_fit
        "modes": list(modes), "sizes": list(sizes), "notices": list(notices), "seconds": round(time.monotonic() - t0, 1),
        "worker_errors": failures,
    }
    (out / "checks.json").write_text(json.dumps({"summary": summary, "screens": records},
                                                ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "index.html").write_text(contact_sheet(records, modes, sizes, summary), encoding="utf-8")
    return summary


PROGRESS_EVERY = 30  # s between progress lines (a full gallery takes about an hour)


def _wait(proc, report) -> tuple[str, str]:
    """A worker's output once it ends, with a progress line every PROGRESS_EVERY seconds
    (communicate() again after a timeout loses no output)."""
    while True:
        try:
            return proc.communicate(timeout=PROGRESS_EVERY)
        except subprocess.TimeoutExpired:
            report()


def _drawn(out: Path, jobs: list[dict], since: float) -> int:
    """Screens whose picture was written by this run (not left from an earlier one)."""
    start = time.time() - (time.monotonic() - since)
    return sum(1 for j in jobs if (p := out / j["file"]).exists() and p.stat().st_mtime >= start)


def contact_sheet(records: list[dict], modes, sizes, summary: dict) -> str:
    """index.html: one row per screen, one column per mode and size; problems in red."""
    by = {(r["id"], r["size"], r["mode"]): r for r in records}
    ids = list(dict.fromkeys(r["id"] for r in records))
    e = html.escape
    head = "".join(f"<th>{e(m)}<br><small>{e(s)}</small></th>" for s in sizes for m in modes)
    rows = []
    for sid in ids:
        cells = []
        for s in sizes:
            for m in modes:
                r = by.get((sid, s, m))
                if r is None:
                    cells.append("<td></td>")
                    continue
                bad = r["problems"]
                tip = e("\n".join(bad)) if bad else "ok"
                cls = ' class="bad"' if bad else ""
                note = f"<div class=p>{e(bad[0])}{' …' if len(bad) > 1 else ''}</div>" if bad else ""
                cells.append(f'<td{cls}><a href="{e(r["file"])}"><img loading="lazy" src="{e(r["file"])}" '
                             f'title="{tip}" alt="{e(sid)} {e(m)} {e(s)}"></a>{note}</td>')
        rows.append(f"<tr><th class=id>{e(sid)}</th>{''.join(cells)}</tr>")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Kiosk gallery</title>
<style>
body {{ font-family: sans-serif; margin: 1em; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #999; padding: 4px; vertical-align: top; font-size: 12px; }}
th.id {{ text-align: left; white-space: nowrap; }}
img {{ width: 200px; display: block; }}
td.bad {{ background: #fdd; outline: 3px solid #c00; }}
.p {{ color: #900; max-width: 200px; }}
</style></head><body>
<h1>Kiosk gallery</h1>
<p>{summary['screens']} screens ({summary['with_problems']} with problems, {summary.get('scrolling', 0)} scrolling with a cue), modes: {e(', '.join(modes))};
sizes: {e(', '.join(sizes))}. Checks: text fits its box, large text &ge;1.6&times;, targets &ge;20&nbsp;mm
and gaps &ge;5&nbsp;mm, contrast &ge;7:1 in high contrast, spoken line and caption, keypad reach.
Details in <a href="checks.json">checks.json</a>.</p>
<table><tr><th>screen</th>{head}</tr>
{chr(10).join(rows)}
</table></body></html>
"""


if __name__ == "__main__":
    sys.exit(run_worker(Path(sys.argv[1])))
