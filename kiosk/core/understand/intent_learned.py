"""A learned reading of free speech: a linear classifier over what visitors say.

The phrase rules (intents.py) read what they have words for, and say nothing
for the rest. This classifier is trained on ``kiosk/data/phrasings/*.tsv``:
phrasings of visitor requests, each with the screen it is said on and the
command it means, written by people who had read neither the parser nor the
evaluation set, and sharing no wording with that set (see the folder's
README). It reads words the rules have no entry for ("súng liên thanh" as too
fast); ``intents.parse`` asks it where the rules are not sure.

scikit-learn (well kept, the standard for this): TF-IDF over word 1-2 grams of
the words as the parser reads them (dialect mapped), over the words joined to
the screen they are said on ("tiếp" on the home page is nothing, on a step it
is next), and over the words a negator governs, marked as such ("không muốn
gọi"); and, on the text without marks (a recognizer's wrong tone marks, a
visitor typing without them), over character 2-4 grams inside words, over
character 3-5 grams across them (words split or run together: "quaylại"), and
over word pairs and triples ("khong phai dau"); then a logistic model fitted
by stochastic gradient descent (a full solver takes four times longer and
reads no better), whose probabilities say how sure it is: the mean of five
fits on five shuffles of the lines (``LEARN_SEEDS``), about a minute and a
half for 38,000 lines on two cores.

Trained once per set of phrasings, in a child process, and kept in the user's
cache folder as plain arrays: the kiosk loads it in a fraction of a second and
reads a sentence in about 1 ms with NumPy alone (scikit-learn and SciPy, about
80 MB, are never loaded in the kiosk's process); ``intents.warm`` does this off
the UI thread.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import subprocess
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

from kiosk.core.understand.intent_match import NEGATORS, PLAIN_NEGATORS
from kiosk.core.understand.intent_text import spoken_words, strip_marks, tokenize

log = logging.getLogger(__name__)

PHRASINGS_DIR = Path(__file__).resolve().parents[2] / "data" / "phrasings"
#: KIOSK_LEARNED=0 reads with the phrase rules alone (to compare them, or on a very small machine)
ENABLED = os.environ.get("KIOSK_LEARNED", "1") != "0"
#: regularisation and passes over the data (set on the dev half, which it never learns from)
LEARN_ALPHA = 1e-5
LEARN_PASSES = 10
#: fits, each with its own shuffle of the lines, whose mean is the model: one fit's readings
#: moved by up to 13 lines of the dev half's 5,919 from one shuffle to another; the mean of
#: five read in the middle of them, and does not hang on which shuffle was drawn
LEARN_SEEDS = 5
#: a word or pair said in fewer lines than this is not learned (most pairs with a screen are once only)
WORD_MIN_DF = 2
#: bump when the features or the model change, so an old cached model is not loaded
MODEL_VERSION = 4
#: how many words after a negator are also seen marked as negated ("không muốn gọi"):
#: n-grams alone read "tôi không muốn gọi nhân viên" as a call for staff
NEGATED_SPAN = 3
_NEGATOR_WORDS = frozenset(NEGATORS) | PLAIN_NEGATORS | {"ko"}  # as typed or heard without marks


def read_phrasings(folder: Path | None = None) -> list[tuple[str, str, str]]:
    """(screen, text, label) of every line of every ``*.tsv`` in ``folder`` (the shipped ones)."""
    rows = []
    for path in sorted((folder or PHRASINGS_DIR).glob("*.tsv")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                log.warning("%s:%d: expected screen<TAB>text<TAB>label, line skipped", path.name, n)
                continue
            rows.append((parts[0].strip(), parts[1], parts[2].strip()))
    return rows


def _words(text: str) -> list[str]:
    return spoken_words(tokenize(text)[0])


def _doc(screen: str, text: str) -> str:
    """One line as the vectorizers see it: the words, then the words tagged
    with the screen (so a word can mean one thing on one screen only), then
    the negated words (``_negated``). Only the first part feeds the
    character n-grams (``_plain``)."""
    words = _words(text)
    doc = " ".join(words) + " \t " + " ".join(f"{screen}_{w}" for w in words)
    negated = _negated(words)
    return doc + " \t " + " ".join(negated) if negated else doc


def _negated(words: list[str]) -> list[str]:
    """The words a negator governs, marked ("không muốn gọi" gives "neg_muốn
    neg_gọi"), so the model can learn that a negated command asks for nothing
    and that "đừng đọc nữa" asks to stop: a standard device for linear text models."""
    out, left = [], 0
    for w in words:
        if w in _NEGATOR_WORDS:
            left = NEGATED_SPAN
        elif left:
            out.append("neg_" + w)
            left -= 1
    return out


def _plain(doc: str) -> str:
    return " " + strip_marks(doc.split("\t")[0]) + " "


def _word_part(doc: str) -> str:
    return doc.replace("\t", " ")


def _fit(rows):
    """The fitted scikit-learn feature union and classifier for ``rows``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import make_union

    features = make_union(
        TfidfVectorizer(preprocessor=_word_part, token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True,
                        min_df=WORD_MIN_DF),
        TfidfVectorizer(preprocessor=_plain, analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2),
        TfidfVectorizer(preprocessor=_plain, analyzer="char", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
        TfidfVectorizer(preprocessor=_plain, token_pattern=r"\S+", ngram_range=(2, 3), sublinear_tf=True,
                        min_df=WORD_MIN_DF),
    )
    matrix = features.fit_transform([_doc(s, t) for s, t, _ in rows])
    labels = [label for _, _, label in rows]
    classifier, coefs, intercepts = None, [], []
    for seed in range(LEARN_SEEDS):
        # n_jobs: the labels' one-vs-rest fits two at a time (the same model, in 60% of the time)
        classifier = SGDClassifier(loss="log_loss", alpha=LEARN_ALPHA, max_iter=LEARN_PASSES, tol=None,
                                   random_state=seed, n_jobs=2)
        classifier.fit(matrix, labels)
        coefs.append(classifier.coef_)
        intercepts.append(classifier.intercept_)
    # the fits' mean: one linear model (no more memory or time to read a sentence)
    # whose readings do not hang on one shuffle of the lines
    classifier.coef_ = np.mean(coefs, axis=0)
    classifier.intercept_ = np.mean(intercepts, axis=0)
    return features, classifier


class Learned:
    """The trained classifier as plain arrays: reading a sentence needs NumPy
    only, so a kiosk that loads it from the cache never imports scikit-learn
    or SciPy (about 80 MB of memory); :meth:`ranked` reads one sentence."""

    def __init__(self, rows: Iterable[tuple[str, str, str]]):
        rows = list(rows)
        if not rows:
            raise ValueError("no phrasings to learn from")
        features, classifier = _fit(rows)
        self.labels = [str(x) for x in classifier.classes_]
        #: the lessons it learned requests for
        self.lessons = frozenset(label.split(":")[2] for label in self.labels if label.count(":") == 2)
        # each vectorizer's terms as its grams function makes them (same order as _fit's union)
        grams = (_word_grams, _char_grams, _plain_char_grams, _plain_word_grams)
        self._blocks = []
        offset = 0
        for (_, vectorizer), make in zip(features.transformer_list, grams, strict=True):
            keys, cols = _term_table(vectorizer.vocabulary_)
            # idf in the keys' order; cols: each key's row of the weights
            self._blocks.append((keys, cols + offset, vectorizer.idf_.astype(np.float32)[cols], make))
            offset += len(vectorizer.idf_)
        self._weights, self._scale = _quantized(classifier.coef_.T)
        self._bias = classifier.intercept_.copy()

    def probabilities(self, text: str, screen: str) -> np.ndarray:
        """One probability per label (``self.labels``) for ``text`` said on ``screen``."""
        doc = _doc(screen, text)
        plain = _plain(doc)     # made once: three of the four blocks read it
        scores = self._bias.copy()
        for keys, cols, idf, grams in self._blocks:
            found = _lookup(keys, _hashes(grams(doc, plain)))
            if not len(found):
                continue
            where, counts = np.unique(found, return_counts=True)
            # TF-IDF as scikit-learn makes it: sublinear tf, idf, each block l2-normed
            vals = (1.0 + np.log(counts)) * idf[where]
            vals /= np.sqrt(vals @ vals)
            rows = cols[where]
            scores += (vals * self._scale[rows]) @ self._weights[rows]
        # as scikit-learn reads a one-vs-rest logistic model: each class's sigmoid, normalised
        prob = 1.0 / (1.0 + np.exp(-scores))
        return prob / prob.sum()

    def ranked(self, text: str, screen: str, allowed, lesson_ids=None) -> list[tuple[float, str]]:
        """(probability, label) of the labels that apply on ``screen``, best
        first, renormalised over those labels. With ``lesson_ids``, a lesson
        that is not installed counts for its topic ("open:dvc")."""
        keep: dict[str, float] = {}
        for p, label in zip(self.probabilities(text, screen), self.labels):
            if label != "none" and label.split(":")[0] not in allowed:
                continue
            parts = label.split(":")
            if lesson_ids is not None and len(parts) == 3 and parts[2] not in lesson_ids:
                label = ":".join(parts[:2])
            keep[label] = keep.get(label, 0.0) + float(p)
        total = sum(keep.values()) or 1.0
        return sorted(((p / total, label) for label, p in keep.items()), reverse=True)


def _quantized(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each term's row of weights as bytes (-127..127) and the row's scale: an
    eighth of the memory and cache file of scikit-learn's doubles (8 MB, not 62,
    for 164,500 terms and 47 labels). A row is scaled by its own largest weight,
    so a rare term's small weights keep their precision. On the dev half's 5,919
    lines no probability moved by more than 0.0037 from scikit-learn's (measured
    with the tenth round's phrasings), and the parser read as many lines right
    there, in batch 14's dev lines and in the confirm probe as with half precision."""
    scale = np.abs(weights).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    quantized = np.rint(weights / scale[:, None]).astype(np.int8)
    return np.ascontiguousarray(quantized), scale.astype(np.float32)


def _hashes(terms) -> np.ndarray:
    """A stable 64-bit hash per term: the vocabularies are kept as sorted arrays
    of these, not as dicts of strings (for 134,000 terms the dicts cost the
    kiosk about 21 MB more than these arrays, about 2 MB with each term's column
    and idf, both 32-bit). That two terms share a hash is a chance of about one
    in a billion for this many; _term_table checks."""
    return np.fromiter((int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little")
                        for t in terms), dtype=np.uint64, count=len(terms))


def _term_table(vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(sorted term hashes, each one's column) for a fitted vectorizer's vocabulary."""
    keys = _hashes(list(vocabulary))
    order = np.argsort(keys)
    keys = keys[order]
    if np.any(keys[1:] == keys[:-1]):
        raise ValueError("two terms share a hash")
    return keys, np.fromiter(vocabulary.values(), dtype=np.int32, count=len(vocabulary))[order]


def _lookup(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The row in ``keys`` of each wanted hash that is there (once per occurrence)."""
    if not len(keys) or not len(wanted):
        return np.empty(0, dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return at[keys[at] == wanted]


def _ngrams(seq, sizes) -> list:
    """Every run of ``n`` consecutive items of ``seq`` (a string or a list), for each ``n`` in ``sizes``."""
    return [seq[i:i + n] for n in sizes for i in range(len(seq) - n + 1)]


# Each block's terms, as its fitted vectorizer makes them, from the line's document and its
# unmarked words (``_plain(doc)``, made once per sentence by the caller).

def _word_grams(doc: str, plain: str) -> list[str]:
    """Whitespace tokens of the whole document and their pairs."""
    return [" ".join(g) for g in _ngrams(_word_part(doc).split(), (1, 2))]


def _char_grams(doc: str, plain: str) -> list[str]:
    """scikit-learn's ``char_wb``, 2 to 4: n-grams inside each unmarked word
    padded with one space on both sides."""
    out = []
    for word in plain.split():
        w = f" {word} "
        for n in (2, 3, 4):
            if len(w) <= n:
                out.append(w)   # a short word counts once, whole
                break
            out.extend(_ngrams(w, (n,)))
    return out


def _plain_char_grams(doc: str, plain: str) -> list[str]:
    """scikit-learn's ``char`` analyzer, 3 to 5: n-grams across the unmarked text, spaces included."""
    return _ngrams(" ".join(plain.split()).join("  "), (3, 4, 5))


def _plain_word_grams(doc: str, plain: str) -> list[str]:
    """The unmarked words' pairs and triples."""
    return [" ".join(g) for g in _ngrams(plain.split(), (2, 3))]


@lru_cache(maxsize=1)
def learned() -> Learned | None:
    """The classifier for the shipped phrasings (from the cache when it was
    trained on the same lines before), or None when there are none: a kiosk
    without the folder still parses with its rules.

    One caller at a time: ``warm()`` and a first parse may ask together on a
    kiosk's first start, and the second must load what the first trained
    rather than train it again (lru_cache alone lets both in)."""
    with _TRAINING:
        return _trained_or_cached()


#: held while the model is found, loaded or trained (see learned)
_TRAINING = threading.Lock()


def _trained_or_cached() -> Learned | None:
    rows = read_phrasings()
    if not rows:
        log.warning("no phrasings in %s: the parser reads with its rules only", PHRASINGS_DIR)
        return None
    try:
        path = _cache_path(rows)
    except ImportError as exc:    # PackageNotFoundError too: scikit-learn is not installed
        log.warning("scikit-learn missing (%s): the parser reads with its rules only", exc)
        return None
    model = _load(path)
    if model is None and _train_elsewhere(PHRASINGS_DIR, path):
        model = _load(path)
    if model is None:           # no second process could do it: train here
        model = Learned(rows)
        _save(model, path)
    return model


def _train_elsewhere(folder: Path, path: Path) -> bool:
    """Train in a child process that writes the cache: scikit-learn and SciPy
    (about 80 MB) are then never loaded in the kiosk's own process."""
    try:
        proc = subprocess.run([sys.executable, "-m", __name__, str(folder), str(path)],
                              capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("intent model not trained in a child process: %s", exc)
        return False
    if proc.returncode != 0:
        log.warning("intent model training failed: %s", proc.stderr.strip()[-500:])
    return proc.returncode == 0


def _cache_path(rows) -> Path:
    from importlib.metadata import version

    from platformdirs import user_cache_path

    # the version read from the package's metadata: importing scikit-learn here
    # would load it (and SciPy) into the kiosk's process after all
    key = (MODEL_VERSION, NEGATED_SPAN, LEARN_ALPHA, LEARN_PASSES, LEARN_SEEDS, WORD_MIN_DF,
           version("scikit-learn"), rows)
    digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:16]
    base = os.environ.get("KIOSK_LEARNED_CACHE")
    folder = Path(base) if base else user_cache_path("hcc-kiosk") / "learned"
    return folder / f"intent-{digest}.pickle"


def _load(path: Path) -> Learned | None:
    try:
        with path.open("rb") as f:
            model = pickle.load(f)
        return model if isinstance(model, Learned) else None
    except FileNotFoundError:
        return None
    except Exception as exc:   # a damaged or foreign file: train again
        log.warning("cached intent model %s unreadable (%s): training again", path, exc)
        return None


def _save(model: Learned, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)      # whole or not at all: another process may be reading
    except OSError as exc:     # a read-only home: the kiosk trains at each start
        log.warning("intent model not cached in %s: %s", path.parent, exc)


def _main(folder: str, cache_file: str) -> None:
    # the module by its name, not __main__: the pickle must name the class where the kiosk finds it
    from kiosk.core.understand import intent_learned as module

    module._save(module.Learned(module.read_phrasings(Path(folder))), Path(cache_file))


if __name__ == "__main__":
    # python -m kiosk.core.understand.intent_learned FOLDER CACHE_FILE (see _train_elsewhere)
    _main(*sys.argv[1:3])
