"""Speech commands of the `kiosk` CLI: say, intent, asr, models; and speech_status for doctor.

Attach them to the main group with ``register(cli)``. Every error a user can
cause prints one clear English line on standard error and exits non-zero.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from pathlib import Path

import click

PROJECT_ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------
# paths (same rules as the rest of the kiosk)


def data_dir(option: str | os.PathLike | None = None) -> Path:
    """--data, else $KIOSK_DATA, else platformdirs' user data dir for hcc-kiosk."""
    from kiosk import paths

    return paths.data_dir(option)


def models_dir(option: str | os.PathLike | None = None) -> Path:
    """--models, else $KIOSK_MODELS, else <project root>/models."""
    from kiosk import paths

    return Path(option) if option else paths.models_dir()


def lessons_dir(option: str | os.PathLike | None = None) -> Path:
    """--lessons, else $KIOSK_LESSONS, else <project root>/lessons."""
    from kiosk import paths

    return Path(option) if option else paths.lessons_dir()


def tts_cache_dir(data: Path) -> Path:
    return data / "tts-cache"


def _fail(message: str, code: int = 1):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _data_from_ctx(option) -> Path:
    """--data on this command, else one given to the main group (ctx.obj or params)."""
    if option:
        return data_dir(option)
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        obj = ctx.obj
        if isinstance(obj, dict) and obj.get("data"):
            return data_dir(obj["data"])
        if ctx.params.get("data"):
            return data_dir(ctx.params["data"])
        ctx = ctx.parent
    return data_dir(None)


def _errors(fn):
    """One English line and a non-zero exit instead of a traceback."""

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        from kiosk.speech.asr import ASRError
        from kiosk.speech.mic import MicUnavailable
        from kiosk.speech.models import ModelError
        from kiosk.speech.tts import TTSError

        try:
            return fn(*a, **kw)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except (TTSError, ModelError, ASRError, MicUnavailable) as e:
            _fail(str(e))
        except ValueError as e:
            _fail(str(e), 2)
        except PermissionError as e:
            _fail(f"permission denied: {e.filename or e}")
        except OSError as e:
            _fail(f"{e.strerror or e}: {e.filename}" if e.filename else str(e))
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as e:  # noqa: BLE001 - last resort: still one line
            _fail(f"{type(e).__name__}: {e}")

    return wrapper


RATE_CHOICE = click.Choice(["slow", "normal", "fast"])
SCREEN_CHOICE = click.Choice(["welcome", "home", "topic", "intro", "step", "finish", "ticket", "confirm"])


# --------------------------------------------------------------------------
# kiosk say


@click.command("say")
@click.argument("text", required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the WAV here.")
@click.option("--rate", type=RATE_CHOICE, default="normal", show_default=True)
@click.option("--voice", default=None, help="espeak-ng voice (default vi-vn-x-central).")
@click.option("--engine", type=click.Choice(["auto", "pyttsx3", "espeak"]), default="auto",
              show_default=True, help="TTS engine (auto: pyttsx3, then the espeak-ng command).")
@click.option("--warm", is_flag=True, help="Pre-render every spoken line of every lesson into the cache.")
@click.option("--lessons", "lessons_opt", type=click.Path(path_type=Path),
              help="Lessons folder for --warm (default: the project's lessons/).")
@click.option("--rates", default="slow,normal,fast", show_default=True,
              help="With --warm: the rates to render.")
@click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path),
              help="Data directory (TTS cache). Default: $KIOSK_DATA or the user data dir.")
@_errors
def say_cmd(text, output, rate, voice, engine, warm, lessons_opt, rates, data):
    """Speak TEXT into a WAV file (-o), or pre-render all lessons (--warm).

    Digit strings that look like an ID number, OTP, PIN or phone number are
    replaced by "(số đã ẩn)" and never spoken.
    """
    from kiosk.speech.tts import DEFAULT_VOICE, Speaker

    voice = voice or os.environ.get("KIOSK_VOICE") or DEFAULT_VOICE
    cache = tts_cache_dir(_data_from_ctx(data))
    speaker = Speaker(cache, voice=voice, engine=engine)
    if warm:
        if text or output:
            raise click.UsageError("--warm takes no TEXT and no -o")
        wanted = [r.strip() for r in rates.split(",") if r.strip()]
        for r in wanted:
            if r not in ("slow", "normal", "fast"):
                raise click.BadParameter(f"unknown rate {r!r}", param_hint="--rates")
        _warm(speaker, lessons_dir(lessons_opt), wanted)
        return
    if text is None:
        raise click.UsageError("give TEXT to say (or --warm)")
    if text == "-":
        text = sys.stdin.read()
    if output is None:
        raise click.UsageError("give -o FILE.wav (the kiosk has no sound card to play to)")
    t0 = time.perf_counter()
    wav = speaker.render(text, rate)
    dt = time.perf_counter() - t0
    import shutil

    output.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(wav, output)
    from kiosk.speech.tts import verify_wav

    chk = verify_wav(output)
    click.echo(f"{output}: {chk.seconds:.2f} s, {speaker.last_source}, {dt * 1000:.0f} ms")


def _warm(speaker, lessons_path: Path, rates: list[str]) -> None:
    try:
        from kiosk.core.content.lessons import load_catalog
    except ImportError as e:
        _fail(f"the lessons loader is not available ({e})")
    from kiosk.speech.tts import TTSError, lesson_lines

    if not lessons_path.is_dir():
        _fail(f"no lessons folder at {lessons_path}")
    catalog = load_catalog(lessons_path)
    lessons = list(getattr(catalog, "lessons", catalog))
    made = hits = 0
    failed: list[str] = []
    t0 = time.perf_counter()
    # the lessons' own lines, and every screen's line exactly as the kiosk says it on arrival
    from kiosk.core.visit.voice import screen_lines

    work = [(lesson.id, line) for lesson in lessons for line in lesson_lines(lesson)]
    work += [("screens", line) for line in screen_lines(catalog)]
    for where, line in work:
        for r in rates:
            if speaker.cached(line, r):
                hits += 1
                continue
            try:
                speaker.render(line, r)
                made += 1
            except TTSError as e:
                failed.append(f"{where}: {line[:40]!r}: {e}")
    dt = time.perf_counter() - t0
    for f in failed:
        click.echo(f"error: {f}", err=True)
    click.echo(f"{len(lessons)} lessons: {made} rendered, {hits} already cached, "
               f"{len(failed)} failed ({dt:.1f} s) -> {speaker.cache_dir}")
    if failed:
        sys.exit(1)


# --------------------------------------------------------------------------
# kiosk intent


def _load_lessons_quiet(path: Path | None):
    """Lessons for lesson names in `open`; none when the loader or folder is missing."""
    try:
        from kiosk.core.content.lessons import load_catalog
    except ImportError:
        return []
    p = lessons_dir(path)
    if not p.is_dir():
        return []
    try:
        return list(load_catalog(p).lessons)
    except Exception:
        return []


@click.command("intent")
@click.argument("text")
@click.option("--screen", type=SCREEN_CHOICE, default=None,
              help="Screen the visitor is on (default: every intent applies).")
@click.option("--json", "as_json", is_flag=True, help="Print {\"intent\", \"confidence\", \"args\"}.")
@click.option("--lessons", "lessons_opt", type=click.Path(path_type=Path),
              help="Lessons folder, so that `open` can name a lesson (default: the project's lessons/).")
@_errors
def intent_cmd(text, screen, as_json, lessons_opt):
    """The intent of TEXT on a screen; with - read one text per line from standard input."""
    from kiosk.core.understand.intents import parse

    lessons = _load_lessons_quiet(lessons_opt)
    texts = (line.rstrip("\r\n") for line in sys.stdin) if text == "-" else [text]
    for t in texts:
        got = parse(t, screen, lessons)
        if as_json:
            click.echo(json.dumps(got.to_json(), ensure_ascii=False))
        else:
            args = " ".join(f"{k}={v}" for k, v in got.args.items())
            click.echo(f"{got.name or '-'}\t{got.confidence:.2f}\t{args}".rstrip())


# --------------------------------------------------------------------------
# kiosk asr


@click.command("asr")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(["auto", "vosk", "vietasr"]), default="auto", show_default=True)
@click.option("--model", "model", type=click.Path(path_type=Path),
              help="vosk model folder (default: the Vietnamese model under models/).")
@click.option("--screen", type=SCREEN_CHOICE, default=None,
              help="Screen: vosk listens with its grammar, and the intent is decided for it.")
@click.option("--grammar", default=None,
              help="vosk: comma-separated phrases instead of the screen's grammar (e.g. for a non-Vietnamese test model).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
@click.option("--models", "models_opt", type=click.Path(path_type=Path), help="Models folder.")
@click.option("--lessons", "lessons_opt", type=click.Path(path_type=Path), help="Lessons folder.")
@_errors
def asr_cmd(files, engine, model, screen, grammar, as_json, models_opt, lessons_opt):
    """Transcribe WAV FILES and decide the intent of each for --screen."""
    from kiosk.core.understand.intents import parse, phrases_for
    from kiosk.speech.asr import ASRError, VietAsrRecognizer, VoskRecognizer, choose_engine

    for f in files:
        if not f.is_file():
            _fail(f"{f}: no such file")
    lessons = _load_lessons_quiet(lessons_opt)
    t0 = time.perf_counter()
    if model is not None:
        if engine == "vietasr":
            raise click.UsageError("--model is for the vosk engine")
        rec = VoskRecognizer(model)
    elif engine == "vietasr":
        rec = VietAsrRecognizer()
    else:
        rec = choose_engine(engine, models_dir(models_opt))
        if rec is None:
            if engine == "vosk":
                _fail(f"no Vietnamese vosk model under {models_dir(models_opt)} "
                      "(install one with: kiosk models install PATH.zip, or pass --model DIR)")
            _fail("no speech recognizer available (install viet-asr, or a vosk model)")
    load_s = time.perf_counter() - t0
    phrases = None
    if rec.name == "vosk":
        if grammar:
            phrases = [p.strip() for p in grammar.split(",") if p.strip()]
        elif screen:
            phrases = phrases_for(screen, lessons)
    from kiosk.speech.asr import read_wav

    rc = 0
    for f in files:
        try:
            samples, rate = read_wav(f)
            tr = rec.transcribe(samples, rate, phrases=phrases)
        except ASRError as e:
            click.echo(f"error: {e}", err=True)
            rc = 1
            continue
        t1 = time.perf_counter()
        got = parse(tr.text, screen, lessons)
        parse_s = time.perf_counter() - t1
        out = {"file": str(f), **tr.to_json(), "seconds_load": round(load_s, 3),
               "seconds_intent": round(parse_s, 4), "screen": screen, "intent": got.to_json()}
        if as_json:
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            click.echo(f"{f}\t{tr.text}\t[{tr.engine} {tr.seconds_compute:.2f}s]\t"
                       f"{got.name or '-'} {got.confidence:.2f}")
    sys.exit(rc)


# --------------------------------------------------------------------------
# kiosk models


@click.group("models")
def models_group():
    """Speech models under models/ (or $KIOSK_MODELS)."""


_models_option = click.option("--models", "models_opt", type=click.Path(file_okay=False, path_type=Path),
                              help="Models folder (default: $KIOSK_MODELS or the project's models/).")


@models_group.command("list")
@_models_option
@click.option("--json", "as_json", is_flag=True)
@_errors
def models_list(models_opt, as_json):
    """The installed models."""
    from kiosk.speech.models import list_models

    d = models_dir(models_opt)
    infos = list_models(d)
    if as_json:
        click.echo(json.dumps([i.to_json() for i in infos], ensure_ascii=False))
        return
    if not infos:
        click.echo(f"no models in {d}")
    for i in infos:
        state = "ok" if i.ok else "BROKEN: " + "; ".join(i.problems)
        click.echo(f"{i.name}\t{i.language or '?'}\t{i.size_mb:.0f} MB\t{state}")


@models_group.command("install")
@click.argument("zip_path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace a model of the same name.")
@_models_option
@_errors
def models_install(zip_path, force, models_opt):
    """Check that ZIP_PATH is a vosk model and unpack it under models/."""
    from kiosk.speech.models import install_zip, is_vietnamese

    target = install_zip(zip_path, models_dir(models_opt), force=force)
    lang = "Vietnamese" if is_vietnamese(target) else "not recognised as Vietnamese"
    click.echo(f"installed {target.name} in {target.parent} ({lang})")


@models_group.command("check")
@_models_option
@click.option("--load/--no-load", default=True, show_default=True,
              help="Also load each model with vosk (a few seconds each).")
@click.option("--json", "as_json", is_flag=True)
@_errors
def models_check(models_opt, load, as_json):
    """Check every installed model; exit 1 if one is broken."""
    from kiosk.speech.asr import plan_engine
    from kiosk.speech.models import check_models

    d = models_dir(models_opt)
    infos = check_models(d, load=load)
    engine, why = plan_engine("auto", d)
    if as_json:
        click.echo(json.dumps({"models": [i.to_json() for i in infos], "engine": engine,
                               "reason": why}, ensure_ascii=False))
    else:
        for i in infos:
            click.echo(f"{i.name}: " + ("ok" if i.ok else "; ".join(i.problems)))
        click.echo(f"speech engine: {engine or 'none (touch only)'} - {why}")
    if any(not i.ok for i in infos):
        sys.exit(1)


# --------------------------------------------------------------------------
# doctor helper


def speech_status(models_dir_: Path | str | None = None, preference: str = "auto",
                  voice: str | None = None) -> dict:
    """Speech state for `kiosk doctor` and the staff screen; never raises.

    {"asr": {"engine", "reason"}, "models": [...], "microphone": {"ok", "detail"},
     "tts": {"voice", "available", "espeak_ng", "pyttsx3"}}
    """
    from kiosk.speech.tts import DEFAULT_VOICE, espeak_available, voice_available

    d = models_dir(models_dir_)
    voice = voice or os.environ.get("KIOSK_VOICE") or DEFAULT_VOICE
    out: dict = {}
    try:
        from kiosk.speech.asr import plan_engine
        from kiosk.speech.models import list_models

        engine, why = plan_engine(preference, d)
        out["asr"] = {"engine": engine, "reason": why}
        out["models"] = [m.to_json() for m in list_models(d)]
    except Exception as e:
        out["asr"] = {"engine": None, "reason": f"error: {e}"}
        out["models"] = []
    try:
        from kiosk.speech.mic import mic_status

        out["microphone"] = mic_status()
    except Exception as e:
        out["microphone"] = {"ok": False, "detail": f"error: {e}"}
    try:
        import importlib.util

        has_pyttsx3 = importlib.util.find_spec("pyttsx3") is not None
    except Exception:
        has_pyttsx3 = False
    out["tts"] = {"voice": voice, "available": voice_available(voice),
                  "espeak_ng": espeak_available(), "pyttsx3": has_pyttsx3}
    return out


def register(group: click.Group) -> None:
    """Add say, intent, asr and models to the main `kiosk` group."""
    for cmd in (say_cmd, intent_cmd, asr_cmd, models_group):
        group.add_command(cmd)


@click.group()
def _standalone():
    """Speech commands of the kiosk (standalone entry point)."""


register(_standalone)

if __name__ == "__main__":
    _standalone()
