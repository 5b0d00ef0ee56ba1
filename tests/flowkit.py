"""Helpers for tests of the pure flow: run events through it and pick effects out."""

from kiosk.core.visit import flow as f


def run(machine, events, state=None):
    """Feed events in order; return the last state and every effect."""
    state = state or f.State()
    out = []
    for e in events:
        state, effects = machine.next(state, e)
        out.extend(effects)
    return state, out


def said(effects):
    return [e.text for e in effects if isinstance(e, f.Say)]


def logs(effects, kind):
    """The data of the Log effects of one kind."""
    return [e.data for e in effects if isinstance(e, f.Log) and e.kind == kind]
