"""Recorded narration: every line the kiosk can say, a person's recording of it, checked, and
played instead of the synthetic voice (plain Python, no Kivy).

catalogue  every line with a stable id (safe as a file name) and its text as spoken
split      a spoken line cut into catalogue lines, spliced pieces and synthetic rest
store      the recordings folder (narration/ID.wav + manifest.json) and the heard counts
process    decode, trim (VAD), loudness, resample, clipping: a phone recording made fit to play
match      transcribe a recording and compare it with its line (word error rate)
mix        what the kiosk plays for a line: human parts, spliced parts, synthetic rest
"""
