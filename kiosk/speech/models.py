"""Vosk models under models/: list them, install one from a zip (USB stick), check them.

A vosk model is a folder with ``am/final.mdl``, ``conf/mfcc.conf`` and a
decoding graph: ``graph/HCLG.fst`` (big models) or ``graph/HCLr.fst`` plus
``graph/Gr.fst`` (small "lookahead" models such as vosk-model-small-vn-0.4).

``install_zip`` checks the zip before anything is written: it must be a real,
complete zip (CRC checked), hold exactly one model, and no member may point
outside the target folder. It unpacks into a temporary folder next to the
target and renames it into place, so a failed install leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

__all__ = [
    "ModelError",
    "ModelInfo",
    "list_models",
    "install_zip",
    "check_models",
    "check_model_dir",
    "is_vietnamese",
    "vietnamese_models",
]

REQUIRED = ("am/final.mdl", "conf/mfcc.conf")
GRAPHS = (("graph/HCLG.fst",), ("graph/HCLr.fst", "graph/Gr.fst"))
#: refuse zips that unpack to more than this (a zip bomb, or not a small model)
MAX_UNPACKED = 4 * 1024**3
_NAME_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_VI_NAME = re.compile(r"(^|[-_.])(vn|vi|vie|vietnamese)([-_.]|$)", re.IGNORECASE)


class ModelError(Exception):
    """A model zip or folder that cannot be used; the message says why, in English."""


@dataclass
class ModelInfo:
    name: str
    path: str
    language: str          # "vi", or "" when unknown
    size_mb: float
    ok: bool
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def _missing(files: set[str]) -> list[str]:
    """Required model files not in ``files`` (paths relative to the model root)."""
    missing = [f for f in REQUIRED if f not in files]
    if not any(all(g in files for g in graph) for graph in GRAPHS):
        missing.append("graph/HCLG.fst (or graph/HCLr.fst + graph/Gr.fst)")
    return missing


def check_model_dir(path: Path | str) -> list[str]:
    """Problems with a model folder; empty when it looks like a usable vosk model."""
    path = Path(path)
    if not path.is_dir():
        return [f"{path} is not a folder"]
    files = set()
    for p in path.rglob("*"):
        if p.is_file():
            files.add(p.relative_to(path).as_posix())
    problems = [f"missing {m}" for m in _missing(files)]
    for f in REQUIRED:
        p = path / f
        if p.is_file() and p.stat().st_size == 0:
            problems.append(f"{f} is empty")
    return problems


def is_vietnamese(path: Path | str) -> bool:
    """True when a model folder is a Vietnamese one (by its name or README)."""
    path = Path(path)
    if _VI_NAME.search(path.name):
        return True
    for readme in ("README", "README.md", "README.txt"):
        p = path / readme
        if p.is_file():
            try:
                head = p.read_text("utf-8", errors="replace")[:2000].lower()
            except OSError:
                continue
            if "vietnamese" in head or "tiếng việt" in head:
                return True
    return False


def _size_mb(path: Path) -> float:
    total = 0
    for p in path.rglob("*"):
        try:
            if p.is_file():
                total += p.stat().st_size
        except OSError:
            pass
    return round(total / 1e6, 1)


def list_models(models_dir: Path | str) -> list[ModelInfo]:
    """Every model folder under ``models_dir`` (missing folder: empty list)."""
    models_dir = Path(models_dir)
    if not models_dir.is_dir():
        return []
    out = []
    for p in sorted(models_dir.iterdir()):
        if not p.is_dir() or p.name.startswith("."):
            continue
        problems = check_model_dir(p)
        out.append(ModelInfo(p.name, str(p), "vi" if is_vietnamese(p) else "",
                             _size_mb(p), not problems, problems))
    return out


def vietnamese_models(models_dir: Path | str) -> list[Path]:
    """Usable Vietnamese vosk models under ``models_dir``, best (largest) first."""
    ok = [m for m in list_models(models_dir) if m.ok and m.language == "vi"]
    ok.sort(key=lambda m: m.size_mb, reverse=True)
    return [Path(m.path) for m in ok]


def check_models(models_dir: Path | str, load: bool = False) -> list[ModelInfo]:
    """Like :func:`list_models`; with ``load=True`` each complete model is also
    loaded with vosk (slow: seconds per model) and a load failure is a problem."""
    infos = list_models(models_dir)
    if load:
        for info in infos:
            if not info.ok:
                continue
            try:
                from vosk import Model, SetLogLevel

                SetLogLevel(-1)
                Model(info.path)
            except ImportError:
                info.problems.append("vosk is not installed (pip install vosk)")
                info.ok = False
            except Exception as e:  # vosk raises a bare Exception on a bad model
                info.problems.append(f"vosk could not load it: {e}")
                info.ok = False
    return infos


def _safe_member(name: str) -> PurePosixPath:
    if "\\" in name or "\x00" in name:
        raise ModelError(f"refusing zip: member name {name!r} has a backslash or NUL")
    p = PurePosixPath(name)
    if p.is_absolute() or (p.parts and re.match(r"^[A-Za-z]:", p.parts[0])):
        raise ModelError(f"refusing zip: member {name!r} has an absolute path")
    if ".." in p.parts:
        raise ModelError(f"refusing zip: member {name!r} points outside the model folder")
    return p


def install_zip(zip_path: Path | str, models_dir: Path | str, force: bool = False) -> Path:
    """Check ``zip_path`` is a vosk model and unpack it to ``models_dir/<name>``.

    ``<name>`` is the zip's single top folder (vosk zips have one), or the zip's
    file name without ``.zip`` when the files sit at its root. Raises
    :class:`ModelError` for anything that is not a complete vosk model.
    """
    zip_path = Path(zip_path)
    models_dir = Path(models_dir)
    if not zip_path.exists():
        raise ModelError(f"{zip_path}: no such file")
    if not zip_path.is_file():
        raise ModelError(f"{zip_path}: not a file")
    if zip_path.stat().st_size == 0:
        raise ModelError(f"{zip_path}: the file is empty (copy it again from the USB stick)")
    if not zipfile.is_zipfile(zip_path):
        raise ModelError(f"{zip_path}: not a zip file (or the copy is truncated)")
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as e:
        raise ModelError(f"{zip_path}: cannot read the zip ({e})") from None
    with zf:
        infos = zf.infolist()
        if not infos:
            raise ModelError(f"{zip_path}: the zip is empty")
        members: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
        total = 0
        for info in infos:
            p = _safe_member(info.filename)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise ModelError(f"refusing zip: member {info.filename!r} is a symbolic link")
            total += info.file_size
            if not p.parts:
                continue
            members.append((info, p))
        if total > MAX_UNPACKED:
            raise ModelError(f"{zip_path}: unpacks to {total / 1e9:.1f} GB, more than a vosk model")
        tops = {p.parts[0] for _, p in members}
        nested = all(len(p.parts) > 1 or i.is_dir() for i, p in members)
        if len(tops) == 1 and nested:
            name = next(iter(tops))
            strip = 1
        else:
            name = zip_path.name[:-4] if zip_path.name.lower().endswith(".zip") else zip_path.stem
            strip = 0
        if not _NAME_OK.match(name):
            raise ModelError(f"refusing zip: model name {name!r} is not a plain folder name")
        files = {
            PurePosixPath(*p.parts[strip:]).as_posix()
            for i, p in members if not i.is_dir() and len(p.parts) > strip
        }
        missing = _missing(files)
        if missing:
            raise ModelError(
                f"{zip_path}: not a vosk model (missing {', '.join(missing)})"
            )
        bad = zf.testzip()  # reads every member: catches a truncated or damaged copy
        if bad is not None:
            raise ModelError(f"{zip_path}: damaged zip (bad CRC in {bad}); copy it again")

        target = models_dir / name
        if target.exists() and not force:
            raise ModelError(f"model {name} is already installed in {models_dir} "
                             "(remove it first, or use --force)")
        models_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=models_dir))
        try:
            root = tmp.resolve()
            for info, p in members:
                rel = PurePosixPath(*p.parts[strip:])
                if not rel.parts:
                    continue
                dest = (tmp / rel.as_posix()).resolve()
                if root not in dest.parents:
                    raise ModelError(f"refusing zip: member {info.filename!r} points outside the model folder")
                if info.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(dest, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
            problems = check_model_dir(tmp)
            if problems:
                raise ModelError(f"{zip_path}: not a usable vosk model ({'; '.join(problems)})")
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".old-{name}-", dir=models_dir))
                os.replace(target, old / name)
                shutil.rmtree(old, ignore_errors=True)
            os.replace(tmp, target)
        except zipfile.BadZipFile as e:
            raise ModelError(f"{zip_path}: damaged zip ({e}); copy it again") from None
        except OSError as e:
            raise ModelError(f"cannot unpack {zip_path} into {models_dir}: {e}") from None
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return target
