"""Are headphones plugged in? Asked of the sound system, never guessed.

Two probes, each a command whose output is parsed here (the parsers are tested on real output):

- PulseAudio / PipeWire (pipewire-pulse): `pactl list sinks` lists each sink's ports with their
  availability: "analog-output-headphones: Headphones (type: Headphones, priority: 9900,
  availability group: Legacy 2, available)"; older servers omit type and group.
- ALSA's jack control: `amixer -c CARD contents` has a "Headphone Jack" control on most HDA
  codecs (values=on when plugged).

`plugged()` answers True / False when a probe reports, None when none does (no such tool, no
jack detection on this sound card): then the kiosk keeps its setting (KIOSK_HEADPHONES).
`Watch` polls in a thread and reports changes; the kiosk turns audio mode and private listening
on when they are plugged in (kiosk.core.visit.audio_first). Commands, not a library: pulsectl would
need a running PulseAudio and adds nothing `pactl` does not already say, and pyalsaaudio is a
C extension the kiosk does not otherwise need.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import threading
from typing import Callable

log = logging.getLogger("kiosk.headphones")

POLL_SECONDS = 2.0
_PORT = re.compile(r"^\s+(\S+): (.*) \((.*)\)\s*$")
_HEADPHONE_WORDS = ("headphone", "headset")


def _is_headphones(*names: str) -> bool:
    return any(w in (n or "").lower() for n in names for w in _HEADPHONE_WORDS)


def _availability(text: str) -> bool | None:
    t = text.lower()
    if "not available" in t or "available: no" in t:
        return False
    if "availability unknown" in t or "available: unknown" in t:
        return None
    if "available" in t:
        return True
    return None


def parse_pactl_sinks(text: str) -> bool | None:
    """`pactl list sinks`: True if a headphone port is available, False if such ports exist and
    none is, None when no headphone port reports its availability."""
    seen = []
    in_ports = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("Ports:"):
            in_ports = True
            continue
        if in_ports and (not stripped or stripped.startswith("Active Port") or not line.startswith(("\t\t", "    "))):
            in_ports = False
        if not in_ports:
            continue
        m = _PORT.match(line)
        if m and _is_headphones(m.group(1), m.group(2), m.group(3)):
            seen.append(_availability(m.group(3)))
    return _combine(seen)


def parse_pactl_json(text: str) -> bool | None:
    """`pactl --format=json list sinks` (pactl 16 and later, also with PipeWire)."""
    try:
        sinks = json.loads(text)
    except ValueError:
        return None
    seen = []
    for sink in sinks if isinstance(sinks, list) else []:
        for port in sink.get("ports") or []:
            if _is_headphones(port.get("name"), port.get("description"), port.get("type")):
                seen.append(_availability(str(port.get("availability", ""))))
    return _combine(seen)


def parse_amixer_contents(text: str) -> bool | None:
    """`amixer contents`: the value of a "... Headphone ... Jack" control (iface=CARD)."""
    seen = []
    current = None
    for line in text.splitlines():
        m = re.match(r"numid=\d+,iface=(\w+),name='([^']*)'", line.strip())
        if m:
            current = m.group(2) if m.group(1) == "CARD" and "jack" in m.group(2).lower() else None
            continue
        if current and _is_headphones(current):
            v = re.match(r"\s*: values=(on|off)", line)
            if v:
                seen.append(v.group(1) == "on")
                current = None
    return _combine(seen)


def _combine(seen: list) -> bool | None:
    if any(s is True for s in seen):
        return True
    if any(s is False for s in seen):
        return False
    return None


def _run(cmd: list[str]) -> str | None:
    if shutil.which(cmd[0]) is None:
        return None
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=3)
    except (OSError, subprocess.SubprocessError) as e:
        log.debug("%s failed: %s", cmd[0], e)
        return None
    return r.stdout if r.returncode == 0 else None


PROBES: tuple = (
    (["pactl", "--format=json", "list", "sinks"], parse_pactl_json),
    (["pactl", "list", "sinks"], parse_pactl_sinks),
    (["amixer", "contents"], parse_amixer_contents),
)


def plugged(run: Callable[[list[str]], str | None] = _run) -> bool | None:
    """True / False as the first probe that reports says; None when none reports."""
    for cmd, parse in PROBES:
        out = run(cmd)
        if out:
            answer = parse(out)
            if answer is not None:
                return answer
    return None


class Watch:
    """Polls `plugged()` on its own thread; `on_change(plugged, first)` on each new report
    (`first`: the state found at start, said to nobody)."""

    def __init__(self, on_change: Callable[[bool, bool], None], probe=plugged,
                 every: float = POLL_SECONDS):
        self.on_change, self.probe, self.every = on_change, probe, every
        self._last: bool | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="headphones", daemon=True)

    def start(self) -> "Watch":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def check(self) -> None:
        now = self.probe()
        if now is None or now == self._last:
            return
        first = self._last is None
        self._last = now
        self.on_change(now, first)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.check()
            except Exception:  # a probe must never stop the kiosk
                log.exception("headphone probe failed")
            self._stop.wait(self.every)
