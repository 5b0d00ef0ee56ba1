"""The voice's screens: the "… đúng không?" question, and the "not understood" note.

What heard text does is decided by the flow's side, kiosk.core.visit.voice; this draws the
`confirm` screen for `State.confirm` and puts `State.heard_note` first on any screen.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.screens.view import BAR_LARGE, BAR_REPEAT, Choice, View, bar

CONFIRM_HINT = "Chạm Đúng hoặc Không, hoặc nói: đúng, không."


def confirm_view(state, catalog):
    p = state.confirm
    body = (f"Máy nghe được: “{p.heard}”." if p.heard else "", CONFIRM_HINT)
    return View(screen="confirm", title=p.question, body=tuple(b for b in body if b),
                choices=(Choice("Đúng", "yes", icon="done", key="1", primary=True),
                         Choice("Không", "no", icon="back", key="2")),
                bar=bar(BAR_REPEAT, BAR_LARGE),
                spoken=f"{p.question} {CONFIRM_HINT}")


def noted(builder):
    """Wrap a screen builder: the "not understood" note comes first in the body."""
    def build(state, catalog):
        view = builder(state, catalog)
        note = getattr(state, "heard_note", None)
        return replace(view, body=(note,) + tuple(view.body)) if note else view
    build.__name__ = getattr(builder, "__name__", "build")
    return build
