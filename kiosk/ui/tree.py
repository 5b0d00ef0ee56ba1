"""Walking a widget tree without importing Kivy (the gallery's checks use it too)."""

from __future__ import annotations


def within(w, ancestor) -> bool:
    """True when `ancestor` holds `w` (up to 100 levels: a widget tree is never deeper)."""
    p, seen = w.parent, 0
    while p is not None and seen < 100:
        if p is ancestor:
            return True
        p, seen = (p.parent if p.parent is not p else None), seen + 1
    return False
