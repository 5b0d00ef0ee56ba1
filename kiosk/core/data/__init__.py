"""What the kiosk keeps: the SQLite log, the queue, the report, backups, the centre's clock.

Layer: above content (the report names lessons), below understand/visit/screens. Imports only
kiosk.core.content. Plain Python, no Kivy.
"""
