"""Real clips for the narration tests: the six speech-samples/vi-real recordings, re-encoded as
a phone would send them (MP3, M4A, OGG) with PyAV."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, SPEECH_SAMPLES, missing_part

NARRATION_LESSONS = ROOT / "tests" / "fixtures" / "narration"
LESSON = "thu-giong-doc"
#: clip number -> its line in the test lesson
LINE_OF = {n: f"lesson.{LESSON}.step.{n}" for n in range(1, 7)}


def real_clips() -> dict[int, Path]:
    folder = SPEECH_SAMPLES / "vi-real"
    clips = {n: folder / f"{n:02d}.wav" for n in range(1, 7)}
    if not all(p.is_file() for p in clips.values()):
        missing_part(f"the real speech clips are not in {folder}")
    return clips


def encode(src: Path, dst: Path) -> Path:
    """``src`` (WAV) re-encoded by the suffix of ``dst``: .mp3, .m4a (AAC), .ogg (Opus), .wav."""
    import av
    import numpy as np
    import soundfile as sf

    if dst.suffix == ".wav":
        shutil.copyfile(src, dst)
        return dst
    codec, rate = {".mp3": ("mp3", 16000), ".m4a": ("aac", 16000), ".ogg": ("libopus", 48000)}[dst.suffix]
    x, sr = sf.read(str(src), dtype="int16")
    with av.open(str(dst), "w") as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(np.asarray(x, dtype=np.int16).reshape(1, -1),
                                           format="s16", layout="mono")
        frame.sample_rate = sr
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono",
                                      rate=rate)
        for f in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(f):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return dst


def chromium_with_mic(clip: Path, width: int = 1280, height: int = 900):
    """Headless Chromium whose microphone "hears" ``clip`` once (a fake device fed from the file)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    from staff_helpers import CHROMEDRIVER, CHROMIUM
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--disable-background-networking",
                "--disable-extensions", "--disable-sync", "--no-first-run", "--lang=vi-VN",
                "--autoplay-policy=no-user-gesture-required",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={clip}%noloop"):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
