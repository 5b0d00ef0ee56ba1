"""What a visitor's words mean: free text to an intent (rapidfuzz, tone-insensitive).

Layer: above content and data, below visit. Imports kiosk.core.content (the lessons' words).
Plain Python, no Kivy.
"""
