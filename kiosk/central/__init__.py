"""The province's side: many kiosks, one centre; many communes, one province, on PostgreSQL.

schema (the server's tables, versioned), roles (least-privilege logins), sync (a kiosk's log
into the server, idempotent), report (the province's figures). Never in the visitor's path:
the kiosk writes its own SQLite log as always, and `kiosk sync` runs beside it on a timer.
Driver: psycopg 3 (the maintained PostgreSQL driver for Python; COPY and pipelines built in).
"""
