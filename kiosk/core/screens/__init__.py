"""What each screen shows: state in, plain View out; layout sizes and the large-text fit check.

Layer: the top of kiosk.core's concerns (below only kiosk.core.runtime): may import visit,
understand, data and content; nothing below imports it. Plain Python, no Kivy.
"""
