"""The `kiosk` command. Every error a user can cause: one clear English line, non-zero exit."""

from __future__ import annotations

import importlib
import json
import logging
import sys
from pathlib import Path

import click

from kiosk import paths

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920), "small": (1366, 768)}


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def fail(message: str, code: int = 1):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _size(value: str) -> tuple[int, int]:
    if value in SIZES:
        return SIZES[value]
    try:
        w, h = (int(x) for x in value.lower().split("x"))
        if w < 320 or h < 320:
            raise ValueError
        return w, h
    except ValueError:
        fail(f"--size must be landscape, portrait, small or WIDTHxHEIGHT (e.g. 1920x1080), not '{value}'", 2)


data_option = click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path),
                           help="Data directory (log, caches). Default: $KIOSK_DATA or the user data dir.")
lessons_option = click.option("--lessons", "lessons", type=click.Path(path_type=Path),
                              help="Lessons folder (default: the project's lessons/).")


class LazyGroup(click.Group):
    """A group whose less used commands are imported only when called (or listed in --help):
    `kiosk run` does not pay for the speech, doctor and gallery modules before its first frame."""

    lazy = {"say": ("kiosk.cli_speech", "say_cmd"), "intent": ("kiosk.cli_speech", "intent_cmd"),
            "asr": ("kiosk.cli_speech", "asr_cmd"), "models": ("kiosk.cli_speech", "models_group"),
            "doctor": ("kiosk.cli_doctor", "doctor_cmd"), "gallery": ("kiosk.cli_a11y", "gallery"),
            "printer": ("kiosk.cli_printer", "printer_group"),
            "install": ("kiosk.cli_appliance", "install_cmd"),
            "uninstall": ("kiosk.cli_appliance", "uninstall_cmd"),
            "backup-rotate": ("kiosk.cli_appliance", "backup_rotate_cmd"),
            "narration": ("kiosk.cli_narration", "narration_group"),
            "identity": ("kiosk.cli_central", "identity_group"),
            "central": ("kiosk.cli_central", "central_group"), "sync": ("kiosk.cli_central", "sync_cmd"),
            "queue": ("kiosk.cli_queue", "queue_group")}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx, name):
        if name in self.lazy and name not in self.commands:
            module, attr = self.lazy[name]
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="More log lines on standard error.")
def cli(verbose: bool):
    """HCC kiosk: guided online public services and digital-skill lessons."""
    _setup_logging(verbose)


# --- run and replay ---------------------------------------------------------------------

def _run(*, headless, screenshots, data, lessons, size, script=None, demo=False, exit_after=None,
         source="kiosk", fullscreen=False, transcript=False) -> int:
    from kiosk.ui.env import NoDisplay
    from kiosk.ui.launch import run_app
    try:
        return run_app(lessons=lessons or paths.lessons_dir(), data=paths.data_dir(data),
                       headless=headless, screenshots=screenshots, size=_size(size), script=script,
                       demo=demo, exit_after=exit_after, source=source, fullscreen=fullscreen,
                       transcript=transcript)
    except NoDisplay as e:
        fail(str(e), 2)
    except OSError as e:
        fail(f"cannot use the data directory: {e}", 2)


@cli.command()
@click.option("--headless", is_flag=True, help="Run in a virtual (offscreen) screen; no monitor needed.")
@click.option("--screenshots", type=click.Path(file_okay=False, path_type=Path),
              help="Save a PNG of every new screen into this folder.")
@click.option("--size", default="landscape", show_default=True,
              help="landscape (1920x1080), portrait (1080x1920), small (1366x768) or WxH.")
@click.option("--fullscreen", is_flag=True, help="Fill the whole monitor (for the real kiosk).")
@click.option("--demo", is_flag=True, help="Walk through every kind of screen once (then keep running).")
@click.option("--exit-after", type=click.FloatRange(min=0.1), help="Close the kiosk after this many seconds.")
@data_option
@lessons_option
def run(headless, screenshots, size, fullscreen, demo, exit_after, data, lessons):
    """Start the kiosk."""
    code = _run(headless=headless, screenshots=screenshots, data=data, lessons=lessons, size=size,
                demo=demo, exit_after=exit_after, fullscreen=fullscreen)
    sys.exit(code)


@cli.command()
@click.argument("script", type=click.Path(path_type=Path))
@click.option("--screenshots", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for screenshots (every new screen, and the script's screenshot lines).")
@click.option("--size", default="landscape", show_default=True, help="As for `kiosk run`.")
@click.option("--show", is_flag=True, help="Use the real display instead of a virtual screen.")
@click.option("--said", is_flag=True,
              help="Print each script line as it runs and each line the kiosk said after it "
                   "(the caption's written form || the voice's spoken form).")
@data_option
@lessons_option
def replay(script, screenshots, size, show, said, data, lessons):
    """Play a journey from a JSON-lines SCRIPT on the real app (headless by default)."""
    from kiosk.core.script import ScriptError, parse_script
    try:
        actions = parse_script(script)
    except ScriptError as e:
        fail(str(e), 2)
    code = _run(headless=not show, screenshots=screenshots, data=data, lessons=lessons, size=size,
                script=actions, source="replay", exit_after=None, transcript=said)
    if code == 0:
        click.echo(f"replay: {len(actions)} lines held")
    sys.exit(code)


# --- lessons ----------------------------------------------------------------------------

@cli.group()
def lessons():
    """List and check the lesson files."""


@lessons.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@lessons_option
def lessons_list(as_json, lessons):
    from kiosk.core.content.lessons import load_catalog
    from kiosk.core.content.step_picture import steps_with_picture
    folder = lessons or paths.lessons_dir()
    if not folder.exists():
        fail(f"lessons folder not found: {folder}", 2)
    catalog = load_catalog(folder)
    rows = [{"id": l.id, "title": l.title, "topic": l.topic, "steps": len(l.steps),
             "steps_with_picture": steps_with_picture(l),
             "reviewed": l.reviewed, "sources": [{"url": s.url, "title": s.title, "checked": s.checked}
                                                 for s in l.sources],
             "path": str(l.path)} for l in catalog.lessons]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            click.echo(f"{r['id']:32} {r['topic']:9} {r['steps']:2} steps  reviewed {r['reviewed']}  {r['title']}")
    if catalog.problems:
        click.echo(f"warning: {len(catalog.problems)} problem(s); run `kiosk lessons check`", err=True)


@lessons.command("check")
@click.argument("paths_", metavar="[PATH]...", nargs=-1, type=click.Path(path_type=Path))
def lessons_check(paths_):
    """Validate lesson files; prints path:line: message per problem, exit 1 if any."""
    from kiosk.core.screens.fit import check_paths
    targets = list(paths_) or [paths.lessons_dir()]
    catalog = check_paths(targets)
    for problem in catalog.problems:
        click.echo(str(problem))
    book = catalog.practice
    extra = f", {len(book.practices)} practice(s), {len(book.drills)} drill(s)" if book else ""
    if catalog.problems:
        click.echo(f"{len(catalog.problems)} problem(s) in {len(targets)} path(s); "
                   f"{len(catalog.lessons)} lesson(s){extra} fine", err=True)
        sys.exit(1)
    if not catalog.lessons and not (book and (book.practices or book.drills)):
        fail("no lesson files found (expected *.yaml)", 1)
    click.echo(f"ok: {len(catalog.lessons)} lesson(s) checked{extra}")


@lessons.command("qr")
@click.argument("lesson_id", metavar="ID")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="PNG file to write (e.g. poster-qr.png).")
@lessons_option
def lessons_qr(lesson_id, output, lessons):
    """Print the finish screen's take-home QR code of lesson ID into a PNG (for posters)."""
    from kiosk.core.content.take_home import QrError, write_qr
    try:
        text = write_qr(lessons or paths.lessons_dir(), lesson_id, output)
    except QrError as e:
        fail(str(e), 2)
    click.echo(f"wrote {output}: QR of {len(text.encode('utf-8'))} bytes for lesson '{lesson_id}'")


# --- report -----------------------------------------------------------------------------

@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (keys documented in README).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV for the commune's reporting.")
@click.option("--since", help="Only sessions started on or after this date (YYYY-MM-DD, UTC).")
@click.option("--db", help="The province's central database (postgresql://…): every kiosk, with by_commune.")
@click.option("--commune", help="With --db: only this commune.")
@data_option
def report(as_json, as_csv, since, db, commune, data):
    """Numbers for the commune: sessions, lessons, escalations, drop-off."""
    from kiosk.core.content.lessons import load_catalog
    from kiosk.core.data.report import build_report, parse_since, report_csv
    from kiosk.core.data.store import Store, StoreError
    if as_json and as_csv:
        fail("choose one of --json and --csv", 2)
    try:
        parse_since(since)
    except ValueError:
        fail(f"--since must be a date written YYYY-MM-DD, not '{since}'", 2)
    if db:  # the province's report (kiosk/cli_central.py)
        from kiosk.cli_central import central_report
        return central_report(db, since, commune, as_json, as_csv, _print_report)
    db = paths.db_path(paths.data_dir(data))
    if not db.exists():
        fail(f"no kiosk log at {db} (run the kiosk first, or pass --data)", 2)
    try:
        result = build_report(Store(db), since, load_catalog(paths.lessons_dir()))
    except StoreError as e:
        fail(str(e), 2)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    elif as_csv:
        click.echo(report_csv(result), nl=False)
    else:
        _print_report(result)


def _print_report(r: dict) -> None:
    click.echo(f"Sessions: {r['sessions']}   median length: {r['median_session_seconds'] or '-'} s")
    click.echo(f"Lessons started: {r['lessons_started']}   finished: {r['lessons_finished']}")
    click.echo(f"Escalations: {r['escalations']['total']}  {r['escalations']['by_status']}")
    for l in r["lessons"]:
        drop = ", ".join(f"step {k}: {v}" for k, v in l["dropoff"].items()) or "-"
        click.echo(f"  {l['lesson']:32} started {l['started']:4} finished {l['finished']:4}  stopped at {drop}")
    if "practice" in r:
        pr, dr, qz = r["practice"], r["drills"], r["quiz"]
        click.echo(f"Practice copies started: {pr['started']}   finished: {pr['finished']}   "
                   f"right first time: {pr['first_try']}")
        click.echo(f"Scam drill answers right: {dr['right']}   wrong: {dr['wrong']}")
        click.echo(f"Quiz answers right: {qz['right']}   wrong: {qz['wrong']}")


# --- speech: say, intent, asr, models (kiosk/cli_speech.py), doctor (kiosk/cli_doctor.py),
# --- gallery (kiosk/cli_a11y.py): LazyGroup.lazy above --------------------------------

# --- staff console, purge, backup, restore; `run --no-console` (kiosk/cli_staff.py) ----
from kiosk.cli_staff import register as _register_staff  # noqa: E402

_register_staff(cli)


def main():
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
