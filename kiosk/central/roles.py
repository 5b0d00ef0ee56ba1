"""Least-privilege logins on the central database.

Each kiosk gets its own login role, a member of `hcc_kiosk`, mapped to its kiosk id and commune
in the `kiosks` table: row-level security (kiosk/central/schema.py) lets it add rows only under
that id and commune and read back only its own; it has no UPDATE, DELETE or TRUNCATE. A province
reader is a member of `hcc_report`: SELECT only.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from kiosk.central.schema import KIOSK_GROUP, REPORT_GROUP, CentralError
from kiosk.core.data.identity import check


def role_name(prefix: str, name: str) -> str:
    return f"{prefix}_{re.sub(r'[^a-z0-9_]', '_', name.lower())}"[:63]


def login_url(admin_url: str, user: str, password: str) -> str:
    """The admin's URL with another user and password (same host, port, database, options)."""
    parts = urlsplit(admin_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"))


def _login_role(cur, role: str, group: str, password: str) -> None:
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
    verb = "ALTER" if cur.fetchone() else "CREATE"  # roles are per cluster: reuse, new password
    cur.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
        sql.Identifier(role), sql.Literal(password)))
    cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(role)))


def add_kiosk(conn: psycopg.Connection, admin_url: str, commune: str, kiosk: str) -> dict:
    """Create (or renew the password of) kiosk's login role. Returns role, URL, password."""
    check(commune, kiosk)
    role = role_name("kiosk", kiosk)
    password = secrets.token_urlsafe(24)
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT commune, role FROM kiosks WHERE kiosk = %s", (kiosk,))
        row = cur.fetchone()
        if row and row[0] != commune:
            raise CentralError(f"kiosk {kiosk!r} is already registered for commune {row[0]!r}")
        _login_role(cur, role, KIOSK_GROUP, password)
        if not row:
            cur.execute("INSERT INTO kiosks (kiosk, commune, role) VALUES (%s, %s, %s)",
                        (kiosk, commune, role))
    return {"kiosk": kiosk, "commune": commune, "role": role, "password": password,
            "url": login_url(admin_url, role, password)}


def add_reader(conn: psycopg.Connection, admin_url: str, name: str) -> dict:
    """A read-only login for the province's reports."""
    check("x", name)
    role = role_name("report", name)
    password = secrets.token_urlsafe(24)
    with conn.transaction(), conn.cursor() as cur:
        _login_role(cur, role, REPORT_GROUP, password)
    return {"role": role, "password": password, "url": login_url(admin_url, role, password)}
