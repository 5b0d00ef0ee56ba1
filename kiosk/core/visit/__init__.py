"""The visitor's flow: one pure `Flow.next(state, event) -> (state, effects)`, and its helpers.

Layer: below kiosk.core.runtime; imports screens (what a screen says and which controls it has),
understand, state and content. access (keys, modes, volume) is mixed into the flow; voice and
the activities (practice copies, drills, quiz) are called by it, the activities through the one
interface in activity.py. Plain Python, no Kivy.
"""
