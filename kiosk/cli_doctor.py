"""`kiosk doctor`: what works on this machine, for the installer and the staff.

Speech engine (and why), voice for speaking, microphone, sound device, speech models, data
directory, lessons; for the appliance: version, systemd units, last backup, free disk. The main group loads ``doctor_cmd`` on first use. Exit 0 when the kiosk can
run (data directory writable, at least one usable lesson); voice or sound missing is reported
but is not a failure, since touch and captions always work.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import click


def sound_status() -> dict:
    """{"ok", "detail"}: is there a device to play sound on? (no Kivy, no sound played)"""
    driver = os.environ.get("SDL_AUDIODRIVER", "")
    snd = Path("/dev/snd")
    playback = sorted(p.name for p in snd.glob("pcmC*D*p")) if snd.is_dir() else []
    if driver == "dummy":
        return {"ok": False, "detail": "SDL_AUDIODRIVER=dummy: sound goes nowhere; captions only"}
    if playback:
        return {"ok": True, "detail": f"playback device(s): {', '.join(playback)}"}
    return {"ok": False, "detail": "no playback device under /dev/snd; the kiosk shows captions only"}


def data_status(data: Path) -> dict:
    try:
        data.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data, prefix=".doctor-", delete=True) as f:
            f.write(b"ok")
            f.flush()
            os.fsync(f.fileno())
        return {"path": str(data), "writable": True, "detail": "writable"}
    except OSError as e:
        return {"path": str(data), "writable": False, "detail": f"not writable ({e.strerror or e})"}


def lessons_status(folder: Path) -> dict:
    from kiosk.core.content.lessons import load_catalog
    if not folder.is_dir():
        return {"path": str(folder), "count": 0, "problems": 0, "detail": "folder not found"}
    catalog = load_catalog(folder)
    return {"path": str(folder), "count": len(catalog.lessons), "problems": len(catalog.problems),
            "detail": "run `kiosk lessons check` for details" if catalog.problems else "clean"}


def printer_status() -> dict:
    """The receipt printer: set, reachable? No paper is used. Not a failure when absent."""
    from kiosk.printer import device
    try:
        return device.status(device.configured())
    except device.PrinterError as e:
        return {"ok": False, "detail": str(e)}


def doctor_report(data: Path, lessons: Path, models: Path) -> dict:
    from kiosk.cli_speech import speech_status
    speech = speech_status(models, preference=os.environ.get("KIOSK_ASR") or "auto")
    report = {
        "asr": speech["asr"],
        "tts": speech["tts"],
        "microphone": speech["microphone"],
        "sound": sound_status(),
        "models": speech["models"],
        "models_dir": str(models),
        "data": data_status(data),
        "lessons": lessons_status(lessons),
    }
    report["printer"] = printer_status()
    from kiosk.appliance.status import appliance_status
    report["appliance"] = appliance_status(data)
    if os.environ.get("KIOSK_MIC_WAV"):
        report["microphone"] = {"ok": True, "detail": "test WAV files (KIOSK_MIC_WAV)"}
    report["voice_input"] = bool(report["asr"]["engine"]) and bool(report["microphone"]["ok"])
    report["ok"] = report["data"]["writable"] and report["lessons"]["count"] > 0
    return report


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _print(r: dict) -> None:
    asr, tts, mic, snd = r["asr"], r["tts"], r["microphone"], r["sound"]
    rows = [
        ("Speech engine", f"{asr['engine'] or 'none'}: {asr['reason']}"),
        ("Voice input", "on (push-to-talk)" if r["voice_input"]
         else "off: the screen says so, touch works"),
        ("Microphone", f"{'ok' if mic['ok'] else 'none'}: {mic['detail']}"),
        ("Speaking voice", f"{tts['voice']}: {'available' if tts['available'] else 'NOT available'} "
                           f"(espeak-ng {_yes(tts['espeak_ng'])}, pyttsx3 {_yes(tts['pyttsx3'])})"),
        ("Sound device", f"{'ok' if snd['ok'] else 'none'}: {snd['detail']}"),
        ("Speech models", ", ".join(f"{m['name']} ({m.get('language') or '?'}, "
                                    f"{'ok' if m.get('ok') else 'broken'})" for m in r["models"])
         or f"none in {r['models_dir']}"),
        ("Receipt printer", f"{'ok' if r['printer']['ok'] else 'none'}: {r['printer']['detail']}"),
        ("Data directory", f"{r['data']['path']}: {r['data']['detail']}"),
        ("Lessons", f"{r['lessons']['count']} lessons, {r['lessons']['problems']} problem(s) "
                    f"in {r['lessons']['path']} ({r['lessons']['detail']})"),
    ]
    rows += _appliance_rows(r["appliance"])
    w = max(len(a) for a, _ in rows)
    for a, b in rows:
        click.echo(f"{a:<{w}}  {b}")
    click.echo("ok: the kiosk can run" if r["ok"] else "PROBLEM: the kiosk cannot run as is (see above)")


def _appliance_rows(a: dict) -> list[tuple[str, str]]:
    from kiosk.appliance.status import describe_backup, describe_disk, describe_units
    return [("Version", a["version"]), ("Appliance units", describe_units(a["units"])),
            ("Last backup", describe_backup(a)), ("Free disk", describe_disk(a["disk"]))]


@click.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path),
              help="Data directory. Default: $KIOSK_DATA or the user data dir.")
@click.option("--lessons", "lessons", type=click.Path(path_type=Path), help="Lessons folder.")
@click.option("--models", "models", type=click.Path(path_type=Path),
              help="Models folder. Default: $KIOSK_MODELS or the project's models/.")
def doctor_cmd(as_json, data, lessons, models):
    """Check speech engines, microphone, sound, models, data directory and lessons."""
    import sys

    from kiosk import paths
    r = doctor_report(paths.data_dir(data), Path(lessons) if lessons else paths.lessons_dir(),
                      Path(models) if models else paths.models_dir())
    if as_json:
        click.echo(json.dumps(r, ensure_ascii=False, indent=2))
    else:
        _print(r)
    sys.exit(0 if r["ok"] else 1)

