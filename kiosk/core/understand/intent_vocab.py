"""What visitors call things: the procedures list and the words of the lesson files.

Two data sources feed topic and lesson matching, so that new lessons and new
everyday names work without code changes:

* ``kiosk/data/procedures.yaml``: the commune's common procedures and papers
  with the names visitors use ("giấy báo tử", "toa thuốc", "bằng lái"), each
  with its topic and, where one exists, its lesson. Every name becomes an
  ``open`` phrase (matched like the built-in phrases: tone-insensitive,
  unmarked, fuzzy). A lesson id that is not loaded is ignored (the name then
  opens the topic), so the list may name lessons still being written.
* the lessons themselves: title, summary, step titles, spoken forms
  (``say``), checklist and ``bring`` make one document per lesson, which the
  statistical ranker (``intent_rank``) compares with free text.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import yaml

from kiosk.core.understand.intent_text import canon_syllable, normalize

log = logging.getLogger(__name__)

PROCEDURES = Path(__file__).resolve().parent.parent.parent / "data" / "procedures.yaml"
MEANINGS = PROCEDURES.with_name("meanings.yaml")
TOPICS = ("vneid", "dvc", "payment", "health", "safety", "internet")


def _read_yaml(path: Path, what: str, without: str):
    """The file's YAML, or None (logged in English with what goes `without` it) when it is
    missing or broken: a data file's mistake never stops the parser."""
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as e:
        log.error("%s %s unreadable (%s); %s", what, path, e, without)
        return None


@lru_cache(maxsize=4)
def procedures(path: Path = PROCEDURES) -> tuple[dict, ...]:
    """The procedures list as ``{"topic", "lesson" (or None), "names"}`` dicts.

    A missing or broken file leaves the parser working on its own phrases;
    the problem is logged (in English), never shown to a visitor.
    """
    data = _read_yaml(path, "procedures list", "everyday names are off")
    if data is None:
        return ()
    out = []
    for i, item in enumerate(data if isinstance(data, list) else []):
        topic = item.get("topic") if isinstance(item, dict) else None
        if topic not in TOPICS:
            log.error("procedures list %s: entry %d has no known topic; skipped", path, i + 1)
            continue
        names = tuple(n for n in (normalize(str(x)) for x in item.get("names") or ()) if n)
        out.append({"topic": topic, "lesson": item.get("lesson") or None, "names": names})
    return tuple(out)


@lru_cache(maxsize=4)
def meaning_groups(path: Path = MEANINGS) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(words with tones at the end, group name) of ``meanings.yaml``, longest first.

    A missing or broken file only leaves the ranker without them (logged)."""
    data = _read_yaml(path, "meanings list", "word groups are off")
    if data is None:
        return ()
    out = []
    for name, words in (data.items() if isinstance(data, dict) else ()):
        for w in words or ():
            key = tuple(canon_syllable(x) for x in normalize(str(w)).split())
            if key:
                out.append((key, str(name)))
    return tuple(sorted(out, key=lambda g: -len(g[0])))


def meaning_marks(words: list[str]) -> list[str]:
    """"#group" for each group of ``meanings.yaml`` whose words occur in ``words``
    (in order, tone placement ignored): the shared word the ranker compares."""
    canon = [canon_syllable(w) for w in words]
    found: dict[str, None] = {}
    for key, name in meaning_groups():
        n = len(key)
        if any(tuple(canon[i:i + n]) == key for i in range(len(canon) - n + 1)):
            found.setdefault("#" + name, None)
    return list(found)


def _texts(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def lesson_fields(lesson) -> list[tuple[str, float]]:
    """(text, weight) of everything a lesson says about itself.

    The title and id say most about which lesson it is; summary, step
    titles, checklist and ``bring`` add the words a visitor may use instead.
    Step bodies are left out: long, and full of words every lesson shares.
    """
    lid = str(getattr(lesson, "id", "") or "")
    out = [(str(getattr(lesson, "title", "") or ""), 3.0), (lid.replace("-", " "), 1.0),
           (str(getattr(lesson, "summary", "") or ""), 1.0)]
    for step in getattr(lesson, "steps", ()) or ():
        out.append((str(getattr(step, "title", "") or ""), 1.0))
    out += [(t, 1.0) for t in _texts(getattr(lesson, "checklist", ()))]
    out += [(t, 0.5) for t in _texts(getattr(lesson, "bring", ()))]
    return [(normalize(t), w) for t, w in out if t]


def lesson_documents(lessons) -> list[tuple[str, str | None, list[tuple[str, float]]]]:
    """(topic, lesson id, weighted texts) per lesson, with the procedures'
    everyday names for it; then one document per topic for the procedures
    that have no loaded lesson."""
    docs = {}
    for lesson in lessons or ():
        lid, topic = getattr(lesson, "id", None), getattr(lesson, "topic", None)
        if lid and topic:
            docs[lid] = (topic, lid, lesson_fields(lesson))
    by_topic: dict[str, list[tuple[str, float]]] = {}
    for proc in procedures():
        # the lesson file says which topic it is under (a commune editor may move
        # it, e.g. the driving licence to payment): its names follow the lesson
        target = docs.get(proc["lesson"]) if proc["lesson"] else None
        if target is not None:
            target[2].extend((n, 2.0) for n in proc["names"])
        else:
            by_topic.setdefault(proc["topic"], []).extend((n, 2.0) for n in proc["names"])
    out = list(docs.values())
    out += [(topic, None, texts) for topic, texts in by_topic.items()]
    return out
