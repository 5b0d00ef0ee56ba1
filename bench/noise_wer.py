"""Word error rate of the kiosk's recognizer on real speech, clean and with babble.

For every real clip in ``speech-samples/vi-real`` the other clips are summed
into "babble" (several people talking at once, as in a busy service centre),
scaled to 10 dB and 5 dB signal-to-noise ratio against the clip and mixed in,
before the clip starts, under it and after it (the room does not go quiet
when the visitor stops). The mix then goes through the kiosk's own path: the
push-to-talk loop with its VAD end-pointer (``kiosk.speech.mic.PushToTalk``
fed by ``ArrayStream``) and viet-asr (``VietAsrRecognizer``), as in
``kiosk run``. WER is summed over all words of all clips.

Variants tried (``--variants``):

* ``kiosk``: exactly what the kiosk does (webrtcvad aggressiveness 2, viet-asr
  streaming: every frame is fed to the recognizer while it is recorded);
* ``batch``: the same recording decoded at once (the kiosk's path when
  streaming is unavailable);
* ``vad3``: the most aggressive webrtcvad mode, to end speech sooner in noise;
* ``nr``: noisereduce (spectral gating, PyPI ``noisereduce``, non-stationary
  mode) on the recorded utterance, then batch decoding; skipped when the
  package is missing;
* ``nr_auto``: ``nr`` only when the recording's own estimated SNR is below
  ``NR_BELOW_DB``, else the plain batch decode (a noise gate in front of it).

Run: ``python -m bench.noise_wer [--samples DIR] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

SNRS = (None, 10, 5)          # None: the clean clip
LEAD_S, TAIL_S = 0.5, 1.5     # babble before and after the visitor speaks


def default_samples() -> Path:
    here = Path(__file__).resolve().parents[1]
    for cand in (here.parent / "shared" / "speech-samples" / "vi-real",
                 here / "tests" / "fixtures" / "vi-real"):
        if cand.is_dir():
            return cand
    return here.parent / "shared" / "speech-samples" / "vi-real"


def load_clips(folder: Path) -> list[tuple[str, np.ndarray, str]]:
    from kiosk.speech.asr import read_wav

    out = []
    for wav in sorted(folder.glob("*.wav")):
        txt = wav.with_suffix(".txt")
        if not txt.is_file():
            continue
        x, rate = read_wav(wav)
        if rate != 16000:
            raise SystemExit(f"{wav}: expected 16 kHz, got {rate}")
        out.append((wav.stem, x.astype(np.float64), txt.read_text("utf-8").strip()))
    return out


def _power(x: np.ndarray) -> float:
    return float(np.mean(x * x)) + 1e-9


def babble_for(i: int, clips, n: int, seed: int = 0) -> np.ndarray:
    """The other clips, each at equal loudness, looped to ``n`` samples and summed."""
    rng = np.random.default_rng(seed + i)
    out = np.zeros(n)
    for j, (_, x, _) in enumerate(clips):
        if j == i:
            continue
        x = x / np.sqrt(_power(x))
        start = int(rng.integers(0, len(x)))           # talkers do not start together
        reps = int(np.ceil((n + start) / len(x))) + 1
        out += np.tile(x, reps)[start:start + n]
    return out


def mix(i: int, clips, snr_db: float | None) -> np.ndarray:
    """Clip ``i`` padded with room time before and after; babble at ``snr_db``."""
    x = clips[i][1]
    lead, tail = int(LEAD_S * 16000), int(TAIL_S * 16000)
    speech = np.concatenate([np.zeros(lead), x, np.zeros(tail)])
    if snr_db is not None:
        b = babble_for(i, clips, len(speech))
        gain = np.sqrt(_power(x) / (_power(b) * 10 ** (snr_db / 10)))
        speech = speech + gain * b
    return np.clip(np.round(speech), -32768, 32767).astype(np.int16)


NR_BELOW_DB = 25.0


def record_like_kiosk(samples: np.ndarray, aggressiveness: int = 2, on_frame=None) -> np.ndarray:
    """The push-to-talk loop with its VAD end-pointer, fed from memory."""
    from kiosk.speech.mic import ArrayStream, Endpointer, PushToTalk

    ptt = PushToTalk(endpointer=Endpointer(aggressiveness=aggressiveness),
                     stream_factory=lambda cb: ArrayStream(samples, cb))
    return ptt.record(on_frame=on_frame)


def estimated_snr_db(x: np.ndarray) -> float:
    """SNR guessed from the recording alone: the quietest fifth of its 30 ms
    frames is taken as the room, the loudest half as speech plus room."""
    n = len(x) // 480
    if n < 10:
        return 99.0
    e = np.sort(np.mean(x[:n * 480].astype(np.float64).reshape(n, 480) ** 2, axis=1))
    noise = float(np.mean(e[: max(1, n // 5)])) + 1e-9
    loud = float(np.mean(e[n // 2:]))
    return 10 * np.log10(max(loud - noise, 1e-9) / noise)


def denoise(x: np.ndarray) -> np.ndarray:
    import noisereduce

    y = noisereduce.reduce_noise(y=x.astype(np.float32), sr=16000, stationary=False)
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)


def recognise(rec, samples: np.ndarray, variant: str) -> str | None:
    """Text heard by ``variant``; None when the VAD found no speech."""
    session = rec.stream() if variant in ("kiosk", "vad3") else None
    on_frame = session.accept if session is not None else None
    try:
        x = record_like_kiosk(samples, 3 if variant == "vad3" else 2, on_frame)
        if len(x) == 0:
            return None
        if variant == "nr" or (variant == "nr_auto" and estimated_snr_db(x) < NR_BELOW_DB):
            return rec.transcribe(denoise(x), 16000).text
        if session is not None:
            return " ".join((session.final().text or "").split())
        return rec.transcribe(x, 16000).text
    finally:
        if session is not None:
            session.close()


def run(folder: Path, variants: list[str]) -> dict:
    from kiosk.speech.asr import VietAsrRecognizer, normalize_for_wer, wer

    clips = load_clips(folder)
    if len(clips) < 2:
        raise SystemExit(f"{folder}: need at least two clips with transcripts")
    rec = VietAsrRecognizer()
    res: dict = {"clips": len(clips), "words": 0, "variants": {}}
    for variant in variants:
        if variant.startswith("nr"):
            try:
                import noisereduce  # noqa: F401
            except ImportError:
                res["variants"][variant] = {"skipped": "noisereduce is not installed"}
                continue
        row = {}
        for snr in SNRS:
            edits = words = 0
            cut = 0
            t0 = time.perf_counter()
            for i, (_, _, ref) in enumerate(clips):
                hyp = recognise(rec, mix(i, clips, snr), variant)
                if hyp is None:
                    cut += 1
                    hyp = ""
                e, n = wer(normalize_for_wer(ref), normalize_for_wer(hyp))
                edits += e
                words += n
            key = "clean" if snr is None else f"{snr}dB"
            print(f"{variant} {key}: {edits}/{words}", file=sys.stderr)
            row[key] = {"wer": round(edits / words, 4), "edits": edits, "words": words,
                        "no_speech_found": cut, "seconds": round(time.perf_counter() - t0, 1)}
            res["words"] = words
        res["variants"][variant] = row
    return res


def table(res: dict) -> str:
    lines = [f"WER of viet-asr through the kiosk's VAD, {res['clips']} real clips, {res['words']} words",
             "| variant | clean | 10 dB babble | 5 dB babble |", "|---|---|---|---|"]
    for v, row in res["variants"].items():
        if "skipped" in row:
            lines.append(f"| {v} | skipped: {row['skipped']} | | |")
            continue
        cells = [f"{row[k]['wer']:.1%}" for k in ("clean", "10dB", "5dB")]
        lines.append(f"| {v} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=default_samples())
    ap.add_argument("--variants", default="kiosk,batch,vad3,nr,nr_auto")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if not a.samples.is_dir():
        print(f"no speech samples at {a.samples}", file=sys.stderr)
        return 2
    res = run(a.samples, [v.strip() for v in a.variants.split(",") if v.strip()])
    print(json.dumps(res, ensure_ascii=False, indent=1) if a.json else table(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
