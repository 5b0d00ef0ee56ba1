"""How the intent parser holds up when the dev half's phrasings are changed the way speech and typing change them.

The dev half of ``bench/intent-eval-v2`` has been tuned on, so its own figure flatters. This
bench takes every dev line the parser gets right and changes it generically, the way an
ASR, a keyboard or a visitor would, then counts the lines that stay right:

* ``nomarks``: every diacritic removed (typed without marks: "ve trang chu");
* ``retone``: one random syllable given another tone mark, or none (an ASR's slip);
* ``merge``: two neighbouring words run together ("quaylại");
* ``prefix`` / ``suffix``: a particle or form of address added ("dạ ...", "... nghen");
* ``dialect``: standard words said the central way (vậy -> rứa, gì -> chi, tôi -> tui...);
* ``elsewhere``: every command line said on each screen that does not take that command
  (the eval set labels those ``none``): the share that still gets an intent.

Only the dev half is read (never the test half). Random choices are seeded per line and
change: a line is changed the same way by every parser, so two parsers' figures compare. Run: ``python -m bench.intent_robust [--misses NAME]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata

from bench.intent_eval import SET_DIR, correct, read_set, real_lessons

_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_DIALECT = {"vậy": "rứa", "đâu": "mô", "sao": "răng", "gì": "chi", "này": "ni", "tôi": "tui",
            "làm": "mần", "về": "dìa", "vào": "vô", "xem": "coi", "bây giờ": "chừ", "nhanh": "lẹ",
            "không": "hông"}
_PREFIX = ("dạ ", "con ơi ", "máy ơi ", "ờ ", "ủa ")
_SUFFIX = (" nghen", " hè", " đi con", " giùm tui", " ạ")
CHANGES = ("nomarks", "retone", "merge", "prefix", "suffix", "dialect")


def _strip(text: str) -> str:
    out = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return out.replace("đ", "d").replace("Đ", "D")


def _retone(word: str, rng: random.Random) -> str:
    """``word`` with its tone mark replaced by a random one (or none), put on its first vowel."""
    base = [c for c in unicodedata.normalize("NFD", word) if c not in _TONES]
    tone = rng.choice(_TONES + ("",))
    out: list[str] = []
    done = not tone
    for i, c in enumerate(base):
        out.append(c)
        nxt = base[i + 1] if i + 1 < len(base) else "x"
        if not done and c in "aeiouy" and not unicodedata.combining(nxt):
            out.append(tone)
            done = True
        elif not done and unicodedata.combining(c) and len(out) > 1 and out[-2] in "aeiouy":
            out.append(tone)
            done = True
    return unicodedata.normalize("NFC", "".join(out))


def change(name: str, text: str, rng: random.Random) -> str:
    words = text.split()
    if name == "nomarks":
        return _strip(text)
    if name == "retone":
        i = rng.randrange(len(words))
        words[i] = _retone(words[i], rng)
        return " ".join(words)
    if name == "merge":
        if len(words) < 2:
            return text
        i = rng.randrange(len(words) - 1)
        return " ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2:])
    if name == "prefix":
        return rng.choice(_PREFIX) + text
    if name == "suffix":
        return text + rng.choice(_SUFFIX)
    if name == "dialect":
        for k, v in _DIALECT.items():
            text = text.replace(k, v)
        return text
    raise KeyError(name)


def run(show: str | None = None) -> dict:
    from kiosk.core.understand.intents import SCREENS, allowed_intents, parse

    rows = read_set(SET_DIR / "dev.tsv")
    lessons = real_lessons()
    right = [(s, t, e) for s, t, e in rows if correct(e, parse(t, s, lessons).label())]
    out: dict = {"dev_right": len(right), "dev_lines": len(rows)}
    for name in CHANGES:
        n = ok = 0
        for screen, text, expected in right:
            # one seed per line and change: a line is changed the same way whatever
            # other lines the parser gets right (with one generator for all, one more
            # right line shifted every later line's change and moved the figures)
            changed = change(name, text, random.Random(f"{name}\t{text}"))
            if changed == text:
                continue
            n += 1
            got = parse(changed, screen, lessons).label()
            ok += correct(expected, got)
            if show == name and not correct(expected, got):
                print(f"{screen}\t{changed}\t{got}\t(expected {expected})")
        out[name] = {"n": n, "stay_right": ok, "share": round(ok / n, 4) if n else None}
    n = accepted = 0
    seen = set()
    for screen, text, expected in rows:
        intent = expected.split(":")[0]
        if intent == "none" or text in seen:
            continue
        seen.add(text)
        for other in SCREENS:
            if intent in allowed_intents(other):
                continue
            n += 1
            got = parse(text, other, lessons).label()
            accepted += got != "none"
            if show == "elsewhere" and got != "none":
                print(f"{other}\t{text}\t{got}\t(said for {expected})")
    out["elsewhere"] = {"n": n, "got_an_intent": accepted, "share": round(accepted / n, 4) if n else None}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", choices=CHANGES + ("elsewhere",), help="list the lines that go wrong")
    a = ap.parse_args(argv)
    res = run(a.misses)
    for name in CHANGES:
        r = res[name]
        print(f"{name:9} {r['stay_right']}/{r['n']} ({r['share']:.1%}) stay right")
    r = res["elsewhere"]
    print(f"elsewhere {r['got_an_intent']}/{r['n']} ({r['share']:.1%}) commands said where they mean nothing get an intent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
