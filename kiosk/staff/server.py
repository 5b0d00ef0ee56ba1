"""Run the console: uvicorn in this process (`kiosk staff serve`), or as a child process beside
the kiosk (`kiosk run`). Also the daily retention job."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger("kiosk.staff")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
RETENTION_CHECK_SECONDS = 3600
TRUSTED_PROXY_ENV = "KIOSK_TRUSTED_PROXY"


class ServeError(Exception):
    """The console cannot start (English message for the CLI)."""


def is_loopback(host: str) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, port: int, staff_accounts: int) -> None:
    """A LAN address needs at least one staff account; the port must be free."""
    if not is_loopback(host) and staff_accounts < 1:
        raise ServeError(f"binding to {host} makes the console reachable from the network; "
                         "create a staff account first: kiosk staff add NAME")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as e:
        if e.errno in (98, 48):
            raise ServeError(f"port {port} on {host} is already in use; pass another --port") from e
        raise ServeError(f"cannot listen on {host}:{port}: {e.strerror or e}") from e


def trusted_proxies(value: str | None) -> list[str]:
    """The proxy addresses whose X-Forwarded-For / X-Forwarded-Proto the console believes.

    Empty (the default) means none: uvicorn would otherwise trust them from 127.0.0.1, so any
    local program could pick the client address that the login lock and the log see. Only IP
    addresses or networks are accepted ("*" or a name would trust more than the operator meant)."""
    out = []
    for item in (value or "").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ServeError(f"{TRUSTED_PROXY_ENV}={value!r}: '{item}' is not an IP address or "
                             "network (e.g. 127.0.0.1 or 10.0.0.0/24)") from None
        out.append(item)
    return out


def uvicorn_config(app, host: str, port: int, proxies: list[str]):
    import uvicorn
    # proxy_headers off unless a proxy is named: uvicorn's default trusts 127.0.0.1.
    return uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                          server_header=False, timeout_graceful_shutdown=3,
                          proxy_headers=bool(proxies), forwarded_allow_ips=proxies or [])


def retention_loop(db_path: Path, stop: threading.Event) -> None:
    """Apply the retention setting once a day (checked hourly) while the console runs."""
    from kiosk.core.data.datacare import apply_retention
    from kiosk.core.data.store import Store, StoreError
    while not stop.is_set():
        try:
            store = Store(db_path)
            try:
                done = apply_retention(store)
            finally:
                store.close()
            if done:
                log.warning("retention: purged old data %s", done)
        except (StoreError, OSError) as e:
            log.error("retention: purge failed, will retry: %s", e)
        stop.wait(RETENTION_CHECK_SECONDS)


def serve(db_path: Path, lessons_dir: Path | None, host: str = DEFAULT_HOST,
          port: int = DEFAULT_PORT) -> None:
    import uvicorn

    from kiosk.core.data.store import Store
    from kiosk.staff.app import create_app
    from kiosk.staff.auth import active_staff_count

    proxies = trusted_proxies(os.environ.get(TRUSTED_PROXY_ENV))
    store = Store(db_path)
    try:
        accounts = active_staff_count(store)
    finally:
        store.close()
    check_bind(host, port, accounts)
    app = create_app(db_path, lessons_dir)
    stop = threading.Event()
    threading.Thread(target=retention_loop, args=(db_path, stop), daemon=True,
                     name="retention").start()
    shown = f"[{host}]" if ":" in host else host
    print(f"staff console: http://{shown}:{port}/  ({accounts} staff account(s); Ctrl+C to stop)",
          file=sys.stderr, flush=True)
    if proxies:
        print(f"staff console: trusting X-Forwarded-For from {', '.join(proxies)}",
              file=sys.stderr, flush=True)
    config = uvicorn_config(app, host, port, proxies)
    try:
        uvicorn.Server(config).run()
    finally:
        stop.set()


def start_beside(data: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 lessons: Path | None = None) -> subprocess.Popen | None:
    """`kiosk run`: the console as a child process, so a console problem never stops the kiosk."""
    from kiosk.core.data.store import Store, StoreError
    from kiosk.paths import db_path
    try:
        Store(db_path(data)).close()  # create/migrate the log before two processes race for it
    except StoreError as e:
        log.error("staff console not started: %s", e)
        return None
    cmd = [sys.executable, "-m", "kiosk", "staff", "serve", "--host", host, "--port", str(port),
           "--data", str(data)]
    if lessons:
        cmd += ["--lessons", str(lessons)]
    logfile = Path(data) / "staff-console.log"
    try:
        with open(logfile, "ab") as out:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                    env=dict(os.environ))
    except OSError as e:
        log.error("staff console not started: %s", e)
        return None
    log.info("staff console starting on http://%s:%d/ (pid %d, log %s)", host, port, proc.pid, logfile)
    return proc


class Beside:
    """The console beside a running kiosk, started a little after the kiosk so that it does not
    compete with the kiosk's first frame for the CPU; stopped when the kiosk stops."""

    def __init__(self, data: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 lessons: Path | None = None, delay: float = 3.0):
        self.args = (data, host, port, lessons)
        self.proc: subprocess.Popen | None = None
        self.stopped = False
        self.lock = threading.Lock()
        self.timer = threading.Timer(delay, self._start)
        self.timer.daemon = True

    def start(self) -> "Beside":
        self.timer.start()
        return self

    def _start(self) -> None:
        with self.lock:
            if not self.stopped:
                self.proc = start_beside(*self.args)

    def stop(self) -> None:
        self.timer.cancel()
        with self.lock:
            self.stopped = True
            stop_beside(self.proc)


def stop_beside(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
