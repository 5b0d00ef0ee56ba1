"""What each screen shows and says: a state in, a plain `View` out (plain Python, no Kivy).

Layer: below kiosk.core.visit (the flow asks a screen what it says and which controls it has);
imports only kiosk.core.state and kiosk.core.content. Also here: keys (what a key does on a
screen), phone_keys (a practice copy's phone by keypad), layout (sizes, text measurement) and
fit (does every lesson fit in large text); below layout, bar_slots (the bar's fixed places) and
tile_pictures (a picture per choice in simple mode); above it, strips (the notice rows reserved above a screen).
"""
