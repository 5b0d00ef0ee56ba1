"""Is this recording its line? Transcribe it with the kiosk's recognizer and compare.

Word error rate with ``jiwer`` (the usual WER implementation) on both texts put through the
kiosk's own normalisation (``normalize_for_wer``: lower case, no punctuation, numbers as words).
viet-asr misses about one word in ten on real Vietnamese speech (9-10% on the sample clips), so a
recording more than ``FLAG_WER`` off is "nghi đọc nhầm" (likely misread, or the wrong line):
kept, not played, until a person accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiosk.speech.asr import normalize_for_wer

FLAG_WER = 0.4
#: an unnamed file is matched to the closest line; the match is "confident" when it is within
#: FLAG_WER and clearly closer than the next line (two near-identical lines need a person).
#: The margin is what tells: the six real clips match their own line at 0-29% and every other
#: line at 95% or more.
CONFIDENT_WER = FLAG_WER
CONFIDENT_MARGIN = 0.3


def word_error_rate(reference: str, hypothesis: str) -> float:
    import jiwer
    ref, hyp = normalize_for_wer(reference), normalize_for_wer(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return float(jiwer.wer(ref, hyp or "<none>"))


class Transcriber:
    """The kiosk's recognizer, loaded once (viet-asr: its model is inside the wheel)."""

    def __init__(self, recognizer=None):
        self._rec = recognizer

    def __call__(self, samples: np.ndarray, rate: int) -> str:
        if self._rec is None:
            from kiosk.speech.asr import VietAsrRecognizer
            self._rec = VietAsrRecognizer()
        return self._rec.transcribe(samples, rate).text


@dataclass(frozen=True)
class Match:
    id: str | None
    score: float           # word error rate against that line (0 = every word right)
    runner_up: float       # the next best line's
    confident: bool


def closest(transcript: str, lines) -> Match:
    """The catalogue line whose text is closest to what was heard."""
    scored = sorted((word_error_rate(l.text, transcript), l.id) for l in lines if not l.piece)
    if not scored:
        return Match(None, 1.0, 1.0, False)
    (best, line_id), runner = scored[0], (scored[1][0] if len(scored) > 1 else 1.0)
    confident = best <= CONFIDENT_WER and runner - best >= CONFIDENT_MARGIN
    return Match(line_id, round(best, 3), round(runner, 3), confident)
