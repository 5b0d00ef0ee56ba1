"""`kiosk models`: install a vosk model from a zip (USB stick), refuse anything else."""

import json
import os
import stat
import zipfile

import click
import pytest
from click.testing import CliRunner

from kiosk import cli_speech
from kiosk.speech.models import (
    ModelError,
    check_models,
    install_zip,
    is_vietnamese,
    list_models,
    vietnamese_models,
)

MODEL_FILES = {
    "am/final.mdl": b"\x00B<TransitionModel> fake acoustic model " * 50,
    "conf/mfcc.conf": b"--use-energy=false\n--sample-frequency=16000\n",
    "conf/model.conf": b"--min-active=200\n",
    "graph/HCLr.fst": b"fst" * 100,
    "graph/Gr.fst": b"fst" * 100,
    "graph/phones/word_boundary.int": b"1 nonword\n",
    "ivector/final.ie": b"ie" * 100,
    "README": b"Vietnamese small model for Vosk\n",
}


def make_zip(path, files=MODEL_FILES, top="vosk-model-small-vn-0.4", extra=(),
             method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as zf:
        if top:
            zf.writestr(top + "/", "")
        for name, data in files.items():
            zf.writestr(f"{top}/{name}" if top else name, data)
        for name, data in extra:
            zf.writestr(name, data)
    return path


def _group():
    g = click.Group("kiosk")
    cli_speech.register(g)
    return g


def test_install_lists_and_checks(tmp_path):
    z = make_zip(tmp_path / "vosk-model-small-vn-0.4.zip")
    models = tmp_path / "models"
    target = install_zip(z, models)
    assert target == models / "vosk-model-small-vn-0.4"
    assert (target / "am" / "final.mdl").read_bytes() == MODEL_FILES["am/final.mdl"]
    infos = list_models(models)
    assert [(i.name, i.language, i.ok) for i in infos] == [("vosk-model-small-vn-0.4", "vi", True)]
    assert vietnamese_models(models) == [target]
    assert [i.ok for i in check_models(models)] == [True]
    assert not [p for p in models.iterdir() if p.name.startswith(".")]   # no temp folders left
    with pytest.raises(ModelError, match="already installed"):
        install_zip(z, models)
    assert install_zip(z, models, force=True) == target


def test_zip_with_files_at_its_root_is_named_after_the_zip(tmp_path):
    z = make_zip(tmp_path / "vosk-model-vn-test.zip", top="")
    assert install_zip(z, tmp_path / "m").name == "vosk-model-vn-test"


def test_big_model_with_hclg_is_accepted(tmp_path):
    files = {k: v for k, v in MODEL_FILES.items() if not k.startswith("graph/")}
    files["graph/HCLG.fst"] = b"x" * 10
    files["graph/words.txt"] = b"<eps> 0\n"
    assert install_zip(make_zip(tmp_path / "vosk-model-vn-0.3.zip", files, top="vosk-model-vn-0.3"),
                       tmp_path / "m").is_dir()


@pytest.mark.parametrize("missing", ["am/final.mdl", "conf/mfcc.conf", "graph/Gr.fst"])
def test_zip_that_is_not_a_model_is_refused(tmp_path, missing):
    files = {k: v for k, v in MODEL_FILES.items() if k != missing}
    z = make_zip(tmp_path / "x.zip", files)
    with pytest.raises(ModelError, match="not a vosk model"):
        install_zip(z, tmp_path / "models")
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_path_traversal_is_refused(tmp_path):
    for evil in ("vosk-model-small-vn-0.4/../../evil.txt", "/etc/evil", "..\\evil.txt"):
        z = make_zip(tmp_path / "evil.zip", extra=[(evil, b"pwned")])
        with pytest.raises(ModelError, match="refusing zip"):
            install_zip(z, tmp_path / "models")
    assert not (tmp_path / "evil.txt").exists()
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_symlink_member_is_refused(tmp_path):
    z = tmp_path / "link.zip"
    make_zip(z)
    with zipfile.ZipFile(z, "a") as zf:
        info = zipfile.ZipInfo("vosk-model-small-vn-0.4/am/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(ModelError, match="symbolic link"):
        install_zip(z, tmp_path / "models")


def test_non_zip_empty_and_truncated_are_refused(tmp_path):
    models = tmp_path / "models"
    txt = tmp_path / "model.zip"
    txt.write_text("this is not a zip")
    with pytest.raises(ModelError, match="not a zip"):
        install_zip(txt, models)
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    with pytest.raises(ModelError, match="empty"):
        install_zip(empty, models)
    no_members = tmp_path / "nomembers.zip"
    zipfile.ZipFile(no_members, "w").close()
    with pytest.raises(ModelError, match="empty"):
        install_zip(no_members, models)
    good = make_zip(tmp_path / "good.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good[: len(good) // 2])           # copy interrupted half-way
    with pytest.raises(ModelError):
        install_zip(cut, models)
    corrupt = bytearray(make_zip(tmp_path / "stored.zip", method=zipfile.ZIP_STORED).read_bytes())
    i = corrupt.index(b"fake acoustic")             # a flipped byte inside final.mdl's data
    corrupt[i:i + 4] = b"XXXX"
    (tmp_path / "corrupt.zip").write_bytes(bytes(corrupt))
    with pytest.raises(ModelError):
        install_zip(tmp_path / "corrupt.zip", models)
    with pytest.raises(ModelError, match="no such file"):
        install_zip(tmp_path / "missing.zip", models)
    assert not models.exists() or not any(models.iterdir())


def test_language_detection(tmp_path):
    for name, vi in [("vosk-model-small-vn-0.4", True), ("vosk-model-vi-0.1", True),
                     ("vosk-model-small-ko-0.22", False), ("vosk-model-small-en-us-0.15", False)]:
        (tmp_path / name).mkdir()
        assert is_vietnamese(tmp_path / name) == vi, name
    (tmp_path / "my-model").mkdir()
    (tmp_path / "my-model" / "README").write_text("Vietnamese model trained on ...")
    assert is_vietnamese(tmp_path / "my-model")


def test_cli_models(tmp_path):
    g = _group()
    models = tmp_path / "models"
    env = {"KIOSK_MODELS": str(models)}
    r = CliRunner().invoke(g, ["models", "list"], env=env)
    assert r.exit_code == 0 and "no models" in r.output
    z = make_zip(tmp_path / "vosk-model-small-vn-0.4.zip")
    r = CliRunner().invoke(g, ["models", "install", str(z)], env=env)
    assert r.exit_code == 0, r.output
    assert "installed vosk-model-small-vn-0.4" in r.output and "Vietnamese" in r.output
    r = CliRunner().invoke(g, ["models", "list", "--json"], env=env)
    assert json.loads(r.output)[0]["name"] == "vosk-model-small-vn-0.4"
    r = CliRunner().invoke(g, ["models", "check", "--no-load"], env=env)
    assert r.exit_code == 0 and "vosk-model-small-vn-0.4: ok" in r.output
    # the fake model does not load in vosk: check says so, exit 1, no traceback
    r = CliRunner().invoke(g, ["models", "check", "--json"], env=env)
    assert r.exit_code == 1
    j = json.loads([line for line in r.output.splitlines() if line.startswith("{")][0])
    assert j["models"][0]["ok"] is False and "vosk could not load" in j["models"][0]["problems"][0]
    bad = tmp_path / "bad.zip"
    bad.write_text("nope")
    r = CliRunner().invoke(g, ["models", "install", str(bad)], env=env)
    assert r.exit_code == 1
    assert r.output.strip() == f"error: {bad}: not a zip file (or the copy is truncated)"
