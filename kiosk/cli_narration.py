"""`kiosk narration …`: the kiosk's lines, their recordings, the reader's script."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kiosk import paths

data_option = click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path),
                           help="Data directory. Default: $KIOSK_DATA or the user data dir.")
lessons_option = click.option("--lessons", "lessons", type=click.Path(path_type=Path),
                              help="Lessons folder (default: the project's lessons/).")


def _fail(message: str, code: int = 1):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _catalog(lessons: Path | None):
    from kiosk.core.content.lessons import load_catalog
    folder = Path(lessons) if lessons else paths.lessons_dir()
    if not folder.exists():
        _fail(f"no lessons folder at {folder}", 2)
    return load_catalog(folder)


def _lines(lessons: Path | None):
    from kiosk.narration.catalogue import lines
    return lines(_catalog(lessons))


def _store(data):
    from kiosk.narration.store import NarrationStore
    return NarrationStore(paths.data_dir(data))


@click.group("narration")
def narration_group():
    """Recorded narration: the kiosk's lines read by a person of the commune."""


@narration_group.command("lines")
@click.option("--json", "as_json", is_flag=True, help="One JSON array: id, text, where, heard, status.")
@lessons_option
@data_option
def lines_cmd(as_json, lessons, data):
    """Every line the kiosk can say: id, text as spoken, where, times heard."""
    from kiosk.narration.coverage import line_rows
    rows = line_rows(_lines(lessons), _store(data))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        click.echo(f"{r['id']}\t{r['heard']}\t{r['label']}\t{r['text']}")


@narration_group.command("status")
@click.option("--json", "as_json", is_flag=True)
@lessons_option
@data_option
def status_cmd(as_json, lessons, data):
    """Lines total, recorded, stale, flagged; share of last month's speech that was human."""
    from kiosk.narration.coverage import status
    s = status(_lines(lessons), _store(data))
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=1))
        return
    share = s["human_share_last_month"]
    click.echo(f"lines {s['lines']}: recorded {s['recorded']}, stale {s['stale']}, flagged "
               f"{s['flagged']}, to confirm {s['to_confirm']}, not recorded {s['not_recorded']}")
    click.echo("human voice in the last 30 days: " + ("nothing heard yet" if share is None
                                                       else f"{share:.0%} of the words"))


@narration_group.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--accept", is_flag=True, help="Accept confident matches by transcript at once.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
@lessons_option
@data_option
def import_cmd(source, accept, as_json, lessons, data):
    """Recordings from a folder or ZIP (WAV, MP3, M4A, OGG), named by line id or matched."""
    from kiosk.narration.importer import import_recordings
    from kiosk.narration.match import Transcriber
    try:
        results = import_recordings(source, _store(data), _lines(lessons), Transcriber(), accept)
    except (ValueError, FileNotFoundError, OSError) as e:
        _fail(str(e), 2)
    for r in results:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
        else:
            score = "" if r["score"] is None else f" (WER {r['score']:.0%})"
            click.echo(f"{r['file']}: {r['status']} {r['id'] or '-'}{score} {r['reason']}".rstrip())
    if not results:
        _fail(f"{source}: no sound files (WAV, MP3, M4A, OGG)", 1)


@narration_group.command("accept")
@click.argument("ids", nargs=-1, required=True)
@data_option
def accept_cmd(ids, data):
    """Accept recordings waiting for a person (to confirm, or flagged after listening)."""
    store = _store(data)
    missing = [i for i in ids if not store.set_status(i, "accepted")]
    for i in ids:
        if i not in missing:
            click.echo(f"{i}: accepted")
    if missing:
        _fail(f"no recording for: {', '.join(missing)}")


@narration_group.command("script")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.html (printable) or FILE.csv.")
@click.option("--all", "everything", is_flag=True, help="Also the lines already recorded.")
@lessons_option
@data_option
def script_cmd(output, everything, lessons, data):
    """The recording script: most heard first, grouped by lesson, abbreviations spelled out."""
    from kiosk.narration import script
    from kiosk.narration.catalogue import group_titles, lines
    catalog = _catalog(lessons)
    table = script.rows(lines(catalog), _store(data), everything, group_titles(catalog))
    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".csv"):
        _fail("-o must end in .html or .csv", 2)
    text = script.to_csv(table) if suffix == ".csv" else script.to_html(table)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, "utf-8")
    click.echo(f"{output}: {len(table)} lines")


# --- used by `kiosk say` (kiosk/cli_speech.py) ---------------------------------------------

def say_line(speaker, line_id: str, rate: str, output: Path, lessons_path: Path, data: Path) -> None:
    """`kiosk say --line ID`: exactly the file the kiosk plays for that line."""
    import shutil

    from kiosk.core.content.lessons import load_catalog
    from kiosk.narration.mix import Narrator

    catalog = load_catalog(lessons_path)
    narrator = Narrator(data, speaker, lambda: catalog)
    try:
        wav, voice = narrator.line_wav(line_id, rate)
    except KeyError:
        _fail(f"no line with id {line_id!r} (see kiosk narration lines)")
    output.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(wav, output)
    click.echo(f"{output}: {line_id}, {voice} voice")


def warm_recorded(speaker, catalog, lines: list[str], rates: list[str], failed: list) -> int:
    """Lines with a person's recording in them: their played WAV (recordings + synthetic rest)
    made now too, so that none waits for synthesis (recordings live beside the TTS cache)."""
    from kiosk.narration.mix import Narrator
    narrator = Narrator(speaker.cache_dir.parent, speaker, lambda: catalog)
    done = 0
    for line in lines:
        for r in rates:
            try:
                done += narrator.render(narrator.plan(line), r) is not None
            except Exception as e:  # a damaged recording: reported, the others still made
                failed.append(f"recorded narration: {line[:40]!r}: {e}")
    return done // max(1, len(rates))
