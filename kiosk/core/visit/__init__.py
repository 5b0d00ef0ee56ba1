"""The visitor's flow: one pure `next(state, event) -> (state, effects)`, keys, voice, access.

Layer: above understand, data and content, below screens. Activities (practice, drills, quiz)
plug in through kiosk.core.visit.activity, registered rather than imported back.
Plain Python, no Kivy.
"""
