"""What the kiosk keeps: the SQLite log and its writer, the queue, the report, backups, the clock.

Layer: above kiosk.core.state and kiosk.core.content (the report names lessons and modes),
beside understand; below visit, screens and runtime, which may import it. Plain Python, no Kivy.
"""
