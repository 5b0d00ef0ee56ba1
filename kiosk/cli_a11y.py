"""`kiosk gallery`: every screen x mode x window size as PNG files, with automated checks."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from kiosk import paths


def _names(value: str | None, known: dict, default: tuple, what: str) -> tuple[str, ...]:
    if not value:
        return default
    names = tuple(v.strip() for v in value.split(",") if v.strip())
    bad = [n for n in names if n not in known]
    if bad or not names:
        click.echo(f"error: unknown {what} {', '.join(bad) or repr(value)} "
                   f"(known: {', '.join(known)})", err=True)
        sys.exit(2)
    return names


@click.command()
@click.argument("out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lessons", "lessons", type=click.Path(path_type=Path),
              help="Lessons folder (default: the project's lessons/).")
@click.option("--lesson", "lesson_ids", multiple=True, help="Only this lesson id (repeatable).")
@click.option("--modes", help="Comma-separated: normal,large,contrast,large-contrast,simple,captions,audio "
                              "(default: all but audio).")
@click.option("--sizes", help="Comma-separated: landscape,portrait,small (default: all three).")
@click.option("--notices", help="Comma-separated notice states: none,no-mic-speaker,call "
              "(default: all three).")
@click.option("--sample", is_flag=True,
              help="The test suite's cut: every screen kind in every mode, size and notice "
              "state, the other lessons' steps in normal and large text (see gallery_jobs.ci_keep).")
@click.option("--workers", type=click.IntRange(1, 2), default=2, show_default=True,
              help="Worker processes (one window each).")
def gallery(out, lessons, lesson_ids, modes, sizes, notices, sample, workers):
    """Render every screen of every lesson in every mode and size to DIR (PNG + index.html).

    Each screen is checked from the real widget tree (text fits, large text >= 1.6x, targets
    >= 20 mm, gaps >= 5 mm, contrast, spoken line and caption, keypad reach); the results go to
    DIR/checks.json. Exit 0 when every screen passed, 1 when some did not."""
    from kiosk.core.content.lessons import load_catalog
    from kiosk.ui.gallery import (DEFAULT_MODES, DEFAULT_NOTICES, DEFAULT_SIZES, MODES,
                                  NOTICE_STATES, SIZES, build_gallery)
    from kiosk.ui.gallery_jobs import ci_keep
    folder = lessons or paths.lessons_dir()
    if not folder.exists():
        click.echo(f"error: lessons folder not found: {folder}", err=True)
        sys.exit(2)
    catalog = load_catalog(folder)
    unknown = [i for i in lesson_ids if not catalog.get(i)]
    if unknown:
        click.echo(f"error: no lesson with id {', '.join(unknown)} in {folder}", err=True)
        sys.exit(2)
    mode_names = _names(modes, MODES, DEFAULT_MODES, "mode")
    size_names = _names(sizes, SIZES, DEFAULT_SIZES, "size")
    notice_names = _names(notices, NOTICE_STATES, DEFAULT_NOTICES, "notice state")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        click.echo(f"error: cannot create {out}: {e.strerror or e}", err=True)
        sys.exit(2)
    with tempfile.TemporaryDirectory(prefix="kiosk-gallery-") as tmp:
        summary = build_gallery(out, folder, Path(tmp), list(lesson_ids) or None, mode_names,
                                size_names, workers, notices=notice_names,
                                keep=ci_keep if sample else None,
                                log=lambda line: click.echo(line, err=True))  # progress: stderr
    click.echo(f"gallery: {summary['screens']} screens in {summary['seconds']} s, "
               f"{summary['with_problems']} with problems, {summary['scrolling']} scrolling "
               f"-> {out / 'index.html'}")
    for err in summary["worker_errors"]:
        click.echo(f"error: a gallery worker failed: {err}", err=True)
    if summary["with_problems"]:
        import json
        data = json.loads((out / "checks.json").read_text(encoding="utf-8"))
        shown = 0
        for r in data["screens"]:
            for p in r["problems"]:
                if shown < 30:
                    click.echo(f"{r['file']}: {p}")
                shown += 1
        click.echo(f"{summary['with_problems']} screen(s) with problems ({shown} in all; see checks.json)",
                   err=True)
    if summary["worker_errors"] or summary["screens"] < summary["expected"]:
        sys.exit(2)
    sys.exit(1 if summary["with_problems"] else 0)
