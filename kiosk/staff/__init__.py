"""The staff console: a FastAPI app over the kiosk's own SQLite log (see app.py).

Layer: above kiosk.core (it reads the log, the queue and the report through kiosk.core.data and
the lesson names through kiosk.core.content), beside appliance, printer and speech; nothing in
kiosk.core imports it. No Kivy.
"""
