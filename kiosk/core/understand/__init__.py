"""What a visitor's words mean: free text to an intent (tone-insensitive, fuzzy: rapidfuzz).

Layer: beside kiosk.core.data, below kiosk.core.visit (voice), which loads it on first use.
Imports nothing of kiosk.core outside this package. Plain Python, no Kivy.
"""
