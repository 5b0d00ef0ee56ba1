"""Staff accounts, PIN checks with lockout, console sessions and CSRF tokens.

- PINs: 6–12 digits, stored only as argon2id hashes (argon2-cffi defaults). At most two checks
  run at a time (each takes ~100 ms and 64 MB), which also slows guessing.
- Lockout: 5 wrong PINs for one account or from one address lock BOTH the account and the
  address for 5 minutes. Unknown names count like real ones, so the answers do not reveal which
  names exist. Every failure and lock is an event in the log. A try is counted before its PIN
  is checked, in one write transaction with the lock check, so parallel requests (threads or
  processes) get at most 5 checks per lock window.
- Sessions: a random token in an HttpOnly, SameSite=Strict cookie; only its SHA-256 is stored.
  They end after `session_minutes` without use (a setting, default 30) and after 12 hours in any
  case, when the account is disabled, or on logout. Each session has its own CSRF token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.core.data.datacare import get_int_setting
from kiosk.core.data.queue import with_retries
from kiosk.core.data.store import Store, StoreError, utcnow

MAX_FAILURES = 5
LOCK_SECONDS = 300
FAILURE_WINDOW_SECONDS = 900       # failures older than this are forgotten
SESSION_MAX_HOURS = 12
TOUCH_EVERY_SECONDS = 60           # how often a session's last_seen is written
NAME_RE = re.compile(r"^[\w.\-]{2,32}$")
PIN_RE = re.compile(r"^[0-9]{6,12}$")

_hasher = PasswordHasher()
_slots = threading.BoundedSemaphore(2)
_dummy_hash: str | None = None


class AuthError(Exception):
    """A staff account problem the CLI reports in one English line."""


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    staff: str | None = None
    token: str | None = None
    reason: str | None = None        # "bad", "locked"
    locked_until: str | None = None
    tries_left: int | None = None


def _ts(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _parse(ts: str) -> dt.datetime:
    return dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME_RE.match(name):
        raise AuthError("a staff name is 2-32 letters, digits, '.', '_' or '-' (no spaces)")
    return name


def check_pin(pin: str) -> str:
    if not PIN_RE.match(pin or ""):
        raise AuthError("a PIN is 6 to 12 digits")
    return pin


def hash_pin(pin: str) -> str:
    with _slots:
        return _hasher.hash(pin)


def _verify(pin_hash: str | None, pin: str) -> bool:
    global _dummy_hash
    with _slots:
        if pin_hash is None:
            # Same work for an unknown name, so timing does not tell which names exist.
            if _dummy_hash is None:
                _dummy_hash = _hasher.hash(secrets.token_hex(8))
            pin_hash, pin = _dummy_hash, "x"
        try:
            return _hasher.verify(pin_hash, pin)
        except (VerificationError, InvalidHashError):
            return False


def _event(c, kind: str, data: dict) -> None:
    c.execute("INSERT INTO events (ts, kind, data) VALUES (?, ?, ?)",
              (utcnow(), kind, json.dumps(data, ensure_ascii=False)))


# --- accounts (the CLI) ---------------------------------------------------------------------

def add_staff(store: Store, name: str, pin: str) -> None:
    name, pin = check_name(name), check_pin(pin)
    digest = hash_pin(pin)

    def write(c):
        if c.execute("SELECT 1 FROM staff WHERE name = ?", (name,)).fetchone():
            raise AuthError(f"staff account '{name}' already exists")
        c.execute("INSERT INTO staff (name, pin_hash, disabled, created_at) VALUES (?, ?, 0, ?)",
                  (name, digest, utcnow()))
        _event(c, "staff_account", {"staff": name, "action": "add"})
    store._write(write)


def set_disabled(store: Store, name: str, disabled: bool = True) -> None:
    def write(c):
        if not c.execute("SELECT 1 FROM staff WHERE name = ?", (name,)).fetchone():
            raise AuthError(f"no staff account named '{name}'")
        c.execute("UPDATE staff SET disabled = ? WHERE name = ?", (int(disabled), name))
        if disabled:
            c.execute("DELETE FROM staff_sessions WHERE staff = ?", (name,))
        _event(c, "staff_account", {"staff": name, "action": "disable" if disabled else "enable"})
    store._write(write)


def list_staff(store: Store) -> list[dict]:
    now = utcnow()
    rows = store.conn.execute(
        "SELECT s.name, s.disabled, s.created_at, s.last_login_at, l.locked_until, "
        "(SELECT COUNT(*) FROM staff_sessions x WHERE x.staff = s.name) "
        "FROM staff s LEFT JOIN lockouts l ON l.key = 'staff:' || s.name ORDER BY s.name").fetchall()
    return [{"name": r[0], "disabled": bool(r[1]), "created_at": r[2], "last_login_at": r[3],
             "locked_until": r[4] if r[4] and r[4] > now else None, "sessions": r[5]} for r in rows]


def active_staff_count(store: Store) -> int:
    return store.conn.execute("SELECT COUNT(*) FROM staff WHERE disabled = 0").fetchone()[0]


# --- login with lockout ---------------------------------------------------------------------
#
# A try is counted BEFORE its PIN is checked, in the same write transaction (BEGIN IMMEDIATE,
# so SQLite serialises it across threads and processes) that reads the lock. A burst of parallel
# requests therefore gets at most MAX_FAILURES checks per lock window: the others are refused
# without a check, even while the first ones are still being verified.

def _keys(name: str, addr: str) -> tuple[str, str]:
    return f"staff:{name.strip()[:64]}", f"addr:{addr}"


def lock_state(store: Store, name: str, addr: str) -> str | None:
    """The time until which this name or this address is locked, or None."""
    return _locked_until(store.conn, _keys(name, addr), _ts(_now()))


def _locked_until(c, keys, now: str) -> str | None:
    rows = c.execute("SELECT locked_until FROM lockouts WHERE key IN (?, ?)", keys).fetchall()
    until = [r[0] for r in rows if r[0] and r[0] > now]
    return max(until) if until else None


def _count_try(c, key: str, now: dt.datetime) -> int:
    """Add one try to `key` (starting afresh once old tries are forgotten or a lock is over)."""
    forget = _ts(now - dt.timedelta(seconds=FAILURE_WINDOW_SECONDS))
    row = c.execute(
        "INSERT INTO lockouts (key, failures, first_failed_at, locked_until) VALUES (?, 1, ?, NULL) "
        "ON CONFLICT(key) DO UPDATE SET "
        "failures = CASE WHEN first_failed_at < ? OR (locked_until IS NOT NULL AND locked_until <= ?) "
        "  THEN 1 ELSE failures + 1 END, "
        "first_failed_at = CASE WHEN first_failed_at < ? OR "
        "  (locked_until IS NOT NULL AND locked_until <= ?) THEN excluded.first_failed_at "
        "  ELSE first_failed_at END, "
        "locked_until = CASE WHEN locked_until <= ? THEN NULL ELSE locked_until END "
        "RETURNING failures", (key, _ts(now), forget, _ts(now), forget, _ts(now), _ts(now))).fetchone()
    return row[0]


def _lock(c, keys, name: str, addr: str, now: dt.datetime, tries: int) -> str:
    """Lock both keys for LOCK_SECONDS from now. In a burst, the try past the limit locks first
    and the last checked try extends the lock: one lockout event, not two."""
    already = _locked_until(c, keys, _ts(now))
    until = _ts(now + dt.timedelta(seconds=LOCK_SECONDS))
    for key in keys:
        c.execute("UPDATE lockouts SET locked_until = ? WHERE key = ? AND "
                  "(locked_until IS NULL OR locked_until < ?)", (until, key, until))
    if not already:
        _event(c, "staff_lockout", {"staff": name, "addr": addr, "locked_until": until,
                                    "failures": tries})
    return until


def _begin_try(store: Store, name: str, addr: str) -> tuple[str | None, int]:
    """One atomic step: refuse if locked, else count this try. Returns (locked_until, try number)."""
    keys = _keys(name, addr)

    def write(c):
        now = _now()
        locked = _locked_until(c, keys, _ts(now))
        if locked:
            _event(c, "staff_login_refused", {"staff": name, "addr": addr, "locked_until": locked})
            return locked, 0
        n = max(_count_try(c, key, now) for key in keys)
        if n > MAX_FAILURES:  # the earlier tries of a burst are still being checked
            until = _lock(c, keys, name, addr, now, n)
            _event(c, "staff_login_refused", {"staff": name, "addr": addr, "locked_until": until})
            return until, n
        return None, n
    # Retried like the queue's writes: a burst of logins queues up for SQLite's write lock.
    return with_retries(lambda: store._write(write))


def login(store: Store, name: str, pin: str, addr: str, counter: int = 1) -> LoginResult:
    name = (name or "").strip()
    keys = _keys(name, addr)
    locked, n = _begin_try(store, name, addr)
    if locked:
        return LoginResult(False, reason="locked", locked_until=locked, tries_left=0)
    row = store.conn.execute("SELECT pin_hash, disabled FROM staff WHERE name = ?", (name,)).fetchone()
    usable = row is not None and not row[1]
    good = _verify(row[0] if usable else None, pin or "") and usable

    if good:
        token = secrets.token_urlsafe(32)

        def ok(c):
            now = utcnow()
            c.execute("DELETE FROM lockouts WHERE key IN (?, ?)", keys)
            c.execute("UPDATE staff SET last_login_at = ? WHERE name = ?", (now, name))
            c.execute("INSERT INTO staff_sessions (token_hash, staff, counter, csrf, addr, created_at, "
                      "last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (token_hash(token), name, counter, secrets.token_urlsafe(32), addr, now, now))
            _event(c, "staff_login", {"staff": name, "addr": addr})
        with_retries(lambda: store._write(ok))
        return LoginResult(True, staff=name, token=token)

    def failed(c):
        _event(c, "staff_login_failed", {"staff": name, "addr": addr, "failures": n})
        if n >= MAX_FAILURES:
            return _lock(c, keys, name, addr, _now(), n)
        return None

    until = with_retries(lambda: store._write(failed))
    if until:
        return LoginResult(False, reason="locked", locked_until=until, tries_left=0)
    return LoginResult(False, reason="bad", tries_left=MAX_FAILURES - n)


# --- sessions -------------------------------------------------------------------------------

def session_for(store: Store, token: str | None) -> dict | None:
    """The live session for a cookie token, or None (unknown, expired, account disabled)."""
    if not token or len(token) > 200:
        return None
    h = token_hash(token)
    row = store.conn.execute(
        "SELECT x.staff, x.counter, x.csrf, x.created_at, x.last_seen, s.disabled FROM staff_sessions x "
        "JOIN staff s ON s.name = x.staff WHERE x.token_hash = ?", (h,)).fetchone()
    if row is None or row[5]:
        return None
    now = _now()
    idle = dt.timedelta(minutes=max(1, get_int_setting(store, "session_minutes")))
    if _parse(row[4]) + idle < now or _parse(row[3]) + dt.timedelta(hours=SESSION_MAX_HOURS) < now:
        try:
            store._write(lambda c: c.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (h,)))
        except StoreError:
            pass
        return None
    if (now - _parse(row[4])).total_seconds() > TOUCH_EVERY_SECONDS:
        try:
            store._write(lambda c: c.execute("UPDATE staff_sessions SET last_seen = ? WHERE token_hash = ?",
                                              (_ts(now), h)))
        except StoreError:
            pass  # a busy database must not log the staff member out
    return {"staff": row[0], "counter": row[1], "csrf": row[2], "token_hash": h}


def logout(store: Store, token: str | None, staff: str | None = None) -> None:
    if not token:
        return

    def write(c):
        c.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (token_hash(token),))
        _event(c, "staff_logout", {"staff": staff})
    store._write(write)


def set_counter(store: Store, token_h: str, counter: int, staff: str | None = None) -> None:
    def write(c):
        c.execute("UPDATE staff_sessions SET counter = ? WHERE token_hash = ?", (counter, token_h))
        _event(c, "staff_counter", {"staff": staff, "counter": counter})
    store._write(write)
