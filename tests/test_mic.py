"""Microphone: no device / no PortAudio -> MicUnavailable; VAD finds the end of speech."""

import builtins
import sys
import threading


import pytest

from conftest import missing_part, need_module  # noqa: E402

np = need_module("numpy", "a dependency of the speech layer")

from kiosk.speech import mic
from kiosk.speech.asr import read_wav
from kiosk.speech.mic import (
    FRAME,
    ArrayStream,
    Endpointer,
    MicUnavailable,
    PushToTalk,
    frames_of,
    mic_status,
)


def test_no_microphone_here_is_mic_unavailable():
    """This machine has libportaudio2 but no sound card: query_devices() is empty."""
    sd = need_module("sounddevice")
    if any(d.get("max_input_channels", 0) > 0 for d in sd.query_devices()):
        pytest.skip("this machine has a microphone")
    with pytest.raises(MicUnavailable, match="no microphone"):
        PushToTalk()
    st = mic_status()
    assert st["ok"] is False and "no microphone" in st["detail"]


def test_missing_portaudio_library_is_mic_unavailable(monkeypatch):
    """Without libportaudio2, `import sounddevice` raises OSError."""
    real_import = builtins.__import__

    def fake_import(name, *a, **kw):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *a, **kw)

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(MicUnavailable, match="libportaudio2"):
        PushToTalk()
    assert mic_status()["ok"] is False


def test_stream_open_failure_is_mic_unavailable(monkeypatch):
    """A device that is listed but cannot be opened (PortAudioError)."""

    class FakeSD:
        class PortAudioError(Exception):
            pass

        default = type("D", (), {"device": (0, None)})()

        @staticmethod
        def query_devices(dev=None):
            d = {"name": "USB mic", "max_input_channels": 1}
            return d if dev is not None else [d]

        @classmethod
        def InputStream(cls, **kw):
            raise cls.PortAudioError("Error opening InputStream: Device unavailable")

    monkeypatch.setattr(mic, "_sounddevice", lambda: FakeSD)
    ptt = PushToTalk()
    with pytest.raises(MicUnavailable, match="cannot open the microphone"):
        ptt.record()


@pytest.fixture(scope="module")
def speech():
    from conftest import SPEECH_SAMPLES

    wav = SPEECH_SAMPLES / "vi-real" / "01.wav"
    if not wav.is_file():
        missing_part(f"no speech sample at {wav}")
    x, _ = read_wav(wav)
    return x


def test_endpointer_finds_start_and_end(speech):
    ep = Endpointer()
    lead = np.zeros(16000, dtype=np.int16)
    tail = np.zeros(16000, dtype=np.int16)
    audio = np.concatenate([lead, speech, tail])
    ended_at = None
    for i, frame in enumerate(frames_of(audio)):
        if ep.feed(frame):
            ended_at = (i + 1) * FRAME / 16000
            break
    speech_end = (len(lead) + len(speech)) / 16000
    assert ep.state.started and ended_at is not None
    # ends after the speech, within the configured silence (+ the clip's own trailing quiet)
    assert speech_end - 0.6 < ended_at <= speech_end + ep.end_silence_ms / 1000 + 0.1


def test_endpointer_ignores_silence():
    ep = Endpointer()
    assert not any(ep.feed(f) for f in frames_of(np.zeros(16000 * 3, dtype=np.int16)))
    assert not ep.state.started


def test_push_to_talk_records_one_utterance_in_memory(speech, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    audio = np.concatenate([np.zeros(8000, dtype=np.int16), speech])
    ptt = PushToTalk(stream_factory=lambda cb: ArrayStream(audio, cb))
    got = ptt.record()
    assert got.dtype == np.int16
    assert len(speech) / 16000 - 0.3 < len(got) / 16000 < len(audio) / 16000 + 0.6
    assert not list(tmp_path.iterdir())      # nothing written to disk


def test_push_to_talk_released_button_or_silence_gives_empty(speech):
    stop = threading.Event()
    stop.set()
    ptt = PushToTalk(stream_factory=lambda cb: ArrayStream(speech, cb, realtime=True))
    assert len(ptt.record(stop=stop)) == 0
    ptt = PushToTalk(stream_factory=lambda cb: ArrayStream(np.zeros(16000, dtype=np.int16), cb))
    assert len(ptt.record()) == 0


def test_energy_vad_fallback(speech, monkeypatch):
    monkeypatch.setitem(sys.modules, "webrtcvad", None)     # import fails
    ep = Endpointer()
    assert ep.kind == "energy"
    audio = np.concatenate([np.zeros(8000, dtype=np.int16), speech, np.zeros(16000, dtype=np.int16)])
    assert any(ep.feed(f) for f in frames_of(audio))


def test_speech_status_for_doctor(tmp_path):
    from kiosk.cli_speech import speech_status

    st = speech_status(tmp_path)
    assert set(st) == {"asr", "models", "microphone", "tts"}
    assert st["models"] == []
    assert st["asr"]["engine"] in ("vietasr", None) and st["asr"]["reason"]
    assert isinstance(st["microphone"]["ok"], bool) and st["microphone"]["detail"]
    assert st["tts"]["voice"] == "vi-vn-x-central"
    if st["tts"]["espeak_ng"]:
        assert st["tts"]["available"] is True
    assert speech_status(tmp_path, preference="none")["asr"]["engine"] is None
