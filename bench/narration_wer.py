"""Recorded narration, measured: is a person's recording understood better than espeak-ng?

1. Auto-match: the six real clips (speech-samples/vi-real) under shuffled names, in the formats
   a phone sends (MP3, M4A, OGG, WAV), imported into a fresh data folder with
   ``kiosk.narration.importer`` against the test lesson whose steps are their transcripts.
2. Intelligibility: for each of those lines, what the kiosk plays (``Narrator.line_wav``: the
   processed recording) and what it played before (espeak-ng, the kiosk's voice, normal rate),
   transcribed by the kiosk's recognizer (viet-asr); word error rate summed over the words.
3. ``kiosk narration status --json`` on that demo folder, after a visitor heard each step once
   (heard counts written by the same code the kiosk's player uses).

Run: ``python -m bench.narration_wer [--samples DIR] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "tests" / "fixtures" / "narration"
FORMATS = (".mp3", ".m4a", ".ogg", ".wav", ".m4a", ".mp3")


def _default_samples() -> Path:
    from bench.noise_wer import default_samples
    return default_samples()


def _encode(src: Path, dst: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from narration_helpers import encode  # the tests' encoder: PyAV, as a phone app would
    encode(src, dst)


def run(samples: Path) -> dict:
    from kiosk.core.content.lessons import load_catalog
    from kiosk.narration.catalogue import lines as catalogue_lines
    from kiosk.narration.coverage import status
    from kiosk.narration.importer import import_recordings
    from kiosk.narration.match import Transcriber, word_error_rate
    from kiosk.narration.mix import Narrator, read_samples
    from kiosk.narration.process import PLAY_RATE
    from kiosk.narration.store import NarrationStore
    from kiosk.speech.asr import normalize_for_wer
    from kiosk.speech.tts import Speaker

    catalog = load_catalog(LESSONS)
    lines = catalogue_lines(catalog)
    transcribe = Transcriber()
    work = Path(tempfile.mkdtemp(prefix="narration-bench-"))
    try:
        drop, data = work / "phone", work / "data"
        drop.mkdir()
        clips = sorted(samples.glob("*.wav"))[:6]
        names = [f"ghi-am-{i}" for i in range(len(clips))]
        random.Random(15).shuffle(names)
        truth = {}
        for clip, name, suffix in zip(clips, names, FORMATS):
            _encode(clip, drop / f"{name}{suffix}")
            truth[f"{name}{suffix}"] = f"lesson.thu-giong-doc.step.{int(clip.stem)}"
        results = import_recordings(drop, NarrationStore(data), lines, transcribe, accept=True)
        matched = [{"file": r["file"], "id": r["id"], "right": r["id"] == truth[r["file"]],
                    "score": r["score"], "status": r["status"]} for r in results]

        speaker = Speaker(work / "tts-cache")
        narrator = Narrator(data, speaker, lambda: catalog, work / "mix")
        rows, tot = [], {"words": 0, "human": 0, "synthetic": 0}
        for line_id in sorted(set(truth.values())):
            line = narrator.line(line_id)
            human_wav, voice = narrator.line_wav(line_id)
            synth_wav = speaker.render(line.text)
            h = word_error_rate(line.text, transcribe(read_samples(human_wav), PLAY_RATE))
            s = word_error_rate(line.text, transcribe(read_samples(synth_wav), PLAY_RATE))
            # the words the WER is counted on: the line as normalised ("19" is "mười chín")
            words = len(normalize_for_wer(line.text).split())
            h_err, s_err = round(h * words), round(s * words)
            tot["words"] += words
            tot["human"] += h_err
            tot["synthetic"] += s_err
            rows.append({"id": line_id, "voice_played": voice, "words": words,
                         "errors_played": h_err, "errors_espeak": s_err,
                         "wer_played": round(h, 3), "wer_espeak": round(s, 3)})
        # a visitor walks the lesson once: each step's line as the kiosk says it, counted
        from dataclasses import replace as _replace

        from kiosk.core.visit import flow as f
        from kiosk.narration.catalogue import spoken_line
        base = f.State(screen="step", active=True, topic="internet", lesson="thu-giong-doc")
        for i in range(len(catalog.get("thu-giong-doc").steps)):
            plan = narrator.plan(spoken_line(_replace(base, step=i), catalog))  # plan applies the lexicon
            narrator.store.note_heard([row for p in plan for row in p.heard()])
        return {"auto_match": matched,
                "auto_match_right": sum(m["right"] for m in matched), "clips": len(matched),
                "intelligibility": rows,
                "wer_played_total": round(tot["human"] / tot["words"], 3),
                "wer_espeak_total": round(tot["synthetic"] / tot["words"], 3),
                "words": tot["words"], "errors_played": tot["human"],
                "errors_espeak": tot["synthetic"],
                "status": status(lines, narrator.store)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    samples = args.samples or _default_samples()
    if not samples.is_dir():
        print(f"error: no speech samples at {samples}", file=sys.stderr)
        return 2
    r = run(samples)
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
        return 0
    print(f"auto-match: {r['auto_match_right']}/{r['clips']} clips matched to their line")
    for m in r["auto_match"]:
        print(f"  {m['file']:<16} -> {m['id']}  WER {m['score']:.0%}  {m['status']}")
    print(f"intelligibility (viet-asr WER over {r['words']} words): what the kiosk plays "
          f"{r['wer_played_total']:.1%} ({r['errors_played']} wrong), espeak-ng "
          f"{r['wer_espeak_total']:.1%} ({r['errors_espeak']} wrong)")
    for row in r["intelligibility"]:
        print(f"  {row['id']:<32} {row['voice_played']:<9} {row['words']:>3} words "
              f"{row['errors_played']:>3} {row['errors_espeak']:>3} wrong")
    print("kiosk narration status --json:")
    print(json.dumps(r["status"], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
