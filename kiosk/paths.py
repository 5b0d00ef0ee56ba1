"""Where things live: lessons, models, the data directory (log, speech cache)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def lessons_dir() -> Path:
    return Path(os.environ.get("KIOSK_LESSONS") or PROJECT_ROOT / "lessons")


def models_dir() -> Path:
    return Path(os.environ.get("KIOSK_MODELS") or PROJECT_ROOT / "models")


def data_dir(option: str | os.PathLike | None = None) -> Path:
    """--data, else $KIOSK_DATA, else the per-user data directory."""
    if option:
        return Path(option)
    if os.environ.get("KIOSK_DATA"):
        return Path(os.environ["KIOSK_DATA"])
    from platformdirs import user_data_dir
    return Path(user_data_dir("hcc-kiosk", appauthor=False))


def db_path(data: Path) -> Path:
    return data / "kiosk.sqlite3"
