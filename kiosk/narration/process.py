"""A phone recording made fit to play: decode, refuse clipping, trim silence, set loudness,
resample to the kiosk's playback rate.

Libraries, and why:
- decoding: PyAV (``av``), FFmpeg's decoders in a wheel: WAV, MP3, M4A/AAC, OGG/Opus from any
  phone, with no system FFmpeg to install and nothing fetched at run time;
- silence: the WebRTC voice-activity detector (``webrtcvad-wheels``), the one the kiosk's
  microphone capture already uses;
- loudness: ``pyloudnorm`` (ITU-R BS.1770-4 integrated loudness). Target -18 LUFS: the level of
  the kiosk's synthetic voice (espeak-ng measures about -20 LUFS), so a recorded sentence
  next to a synthetic one does not jump in volume; it is also near the -16..-19 LUFS that
  streaming services use for speech on small speakers, louder than broadcast's -23 EBU R128,
  which suits a noisy hall;
- resampling: ``scipy.signal.resample_poly`` (a polyphase filter; scipy comes with pyloudnorm).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd
from pathlib import Path

import numpy as np

#: the rate of everything the kiosk plays (espeak-ng renders 22.05 kHz; recordings match it)
PLAY_RATE = 22050
TARGET_LUFS = -18.0
PEAK_LIMIT = 10 ** (-1.0 / 20)        # at most -1 dBFS after the gain
CLIP_LEVEL = 0.999                    # a sample at full scale
CLIP_SHARE = 0.001                    # more than 0.1% of samples in clipped runs: refused
MIN_SPEECH_SECONDS = 0.15
PAD_SECONDS = 0.12                    # kept before and after the speech the VAD found
VAD_MODE = 2
FLOOR_DB = 30.0
VAD_RATE, VAD_FRAME = 16000, 480      # 30 ms frames


class Refused(ValueError):
    """A recording that cannot be used; the message says why, in English."""


@dataclass(frozen=True)
class Processed:
    samples: np.ndarray   # int16 mono at PLAY_RATE
    seconds: float
    lufs_before: float
    trimmed_seconds: float


def decode(path: Path | str) -> tuple[np.ndarray, int]:
    """Mono float32 samples (-1..1) and their rate, from any file FFmpeg reads."""
    import av
    try:
        with av.open(str(path)) as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                raise Refused("no sound in the file")
            rate = stream.rate or stream.codec_context.sample_rate
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            chunks = []
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except Refused:
        raise
    except Exception as e:  # av.error.* for anything that is not a sound file
        raise Refused(f"not a readable sound file ({e})") from None
    if not chunks:
        raise Refused("the file holds no sound")
    return np.concatenate(chunks).astype(np.float32), int(rate)


def clipped_share(x: np.ndarray) -> float:
    """Share of samples in runs of 3+ at full scale (a single full-scale peak is no harm)."""
    hot = np.abs(x) >= CLIP_LEVEL
    if not hot.any():
        return 0.0
    runs = hot[:-2] & hot[1:-1] & hot[2:]
    return float(runs.sum()) / len(x)


def resample(x: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target:
        return x
    from scipy.signal import resample_poly
    g = gcd(rate, target)
    return resample_poly(x, target // g, rate // g).astype(np.float32)


def speech_span(x: np.ndarray, rate: int) -> tuple[int, int] | None:
    """(start, end) sample indexes of the speech, padded; None if the VAD hears none."""
    import webrtcvad
    vad = webrtcvad.Vad(VAD_MODE)
    pcm = (np.clip(resample(x, rate, VAD_RATE), -1, 1) * 32767).astype(np.int16)
    n = len(pcm) // VAD_FRAME
    frames = pcm[:n * VAD_FRAME].reshape(n, VAD_FRAME).astype(np.float64)
    rms = np.sqrt((frames ** 2).mean(axis=1)) + 1e-9
    # the VAD takes steady room noise for speech now and then: a frame must also be within
    # FLOOR_DB of the loudest one (a phone's hiss sits 40 dB or more below the voice)
    loud = 20 * np.log10(rms) >= 20 * np.log10(rms.max()) - FLOOR_DB
    voiced = [bool(loud[i]) and vad.is_speech(frames[i].astype(np.int16).tobytes(), VAD_RATE)
              for i in range(n)]
    # speech is three voiced frames in a row (90 ms): a click or a breath is not
    solid = [i for i in range(n - 2) if voiced[i] and voiced[i + 1] and voiced[i + 2]]
    if not solid:
        return None
    first, last = solid[0], solid[-1] + 3
    scale = rate / VAD_RATE
    pad = int(PAD_SECONDS * rate)
    start = max(0, int(first * VAD_FRAME * scale) - pad)
    end = min(len(x), int(last * VAD_FRAME * scale) + pad)
    return start, end


def loudness(x: np.ndarray, rate: int) -> float:
    """Integrated loudness (LUFS); short pieces are padded with silence (gated out)."""
    import pyloudnorm
    need = int(0.5 * rate)
    if len(x) < need:
        x = np.concatenate([x, np.zeros(need - len(x), dtype=x.dtype)])
    return float(pyloudnorm.Meter(rate).integrated_loudness(x.astype(np.float64)))


def normalise(x: np.ndarray, rate: int) -> tuple[np.ndarray, float]:
    lufs = loudness(x, rate)
    if not np.isfinite(lufs) or lufs < -60:
        raise Refused(f"too quiet to be speech ({lufs:.0f} LUFS)")
    gain = 10 ** ((TARGET_LUFS - lufs) / 20)
    peak = float(np.max(np.abs(x))) or 1.0
    gain = min(gain, PEAK_LIMIT / peak)  # never clip: a peaky reading stays a little quieter
    return (x * gain).astype(np.float32), lufs


def process(path: Path | str) -> Processed:
    """The recording as the kiosk will play it; :class:`Refused` with the reason if unusable."""
    x, rate = decode(path)
    share = clipped_share(x)
    if share > CLIP_SHARE:
        raise Refused(f"clipped ({share:.1%} of samples at full scale): record again, "
                      "further from the phone or quieter")
    span = speech_span(x, rate)
    if span is None:
        raise Refused("no speech found")
    before = len(x) / rate
    x = x[span[0]:span[1]]
    if len(x) / rate < MIN_SPEECH_SECONDS:
        raise Refused("the speech is too short")
    x, lufs = normalise(x, rate)
    y = resample(x, rate, PLAY_RATE)
    pcm = np.clip(np.round(y * 32767), -32768, 32767).astype(np.int16)
    return Processed(pcm, len(pcm) / PLAY_RATE, lufs, before - len(x) / rate)


def write_wav(path: Path | str, samples: np.ndarray, rate: int = PLAY_RATE) -> None:
    import soundfile as sf
    sf.write(str(path), samples, rate, subtype="PCM_16", format="WAV")
