"""Errors a user can cause: one clear English line, non-zero exit, never a traceback."""

import pytest


def no_trace(r):
    assert "Traceback" not in r.stdout + r.stderr
    return r


def test_help_lists_every_job(kiosk):
    r = kiosk("--help")
    for job in ("run", "lessons", "replay", "report"):
        assert job in r.stdout


def test_run_without_display_names_headless(kiosk, tmp_path):
    r = no_trace(kiosk("run", data=tmp_path))
    assert r.returncode == 2
    assert "--headless" in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args,words", [
    (["report"], "no kiosk log"),
    (["report", "--since", "yesterday"], "YYYY-MM-DD"),
    (["run", "--headless", "--size", "huge"], "--size"),
    (["lessons", "list", "--lessons", "/nonexistent"], "not found"),
])
def test_bad_input_messages(kiosk, tmp_path, args, words):
    r = no_trace(kiosk(*args, data=tmp_path))
    assert r.returncode != 0 and words in r.stderr


def test_bad_replay_scripts(kiosk, tmp_path):
    cases = {"notjson.jsonl": ('{"tap": "x"}\nnot json\n', ":2: not valid JSON"),
             "unknown.jsonl": ('{"jump": 3}\n', "unknown action 'jump'"),
             "empty.jsonl": ("\n", "no actions"),
             "badwait.jsonl": ('{"wait": "long"}\n', "needs a number"),
             "badwaitfor.jsonl": ('{"wait_for": 15}\n', "needs a text"),
             "badvoice.jsonl": ('{"wait_for_voice": "quiet"}\n', "'wait_for_voice' takes one of: playing")}
    for name, (text, words) in cases.items():
        (tmp_path / name).write_text(text)
        r = no_trace(kiosk("replay", tmp_path / name, data=tmp_path))
        assert r.returncode == 2 and words in r.stderr, (name, r.stderr)
    r = no_trace(kiosk("replay", tmp_path / "missing.jsonl", data=tmp_path))
    assert r.returncode == 2 and "cannot read script" in r.stderr


def test_report_csv_and_json_exclusive(kiosk, tmp_path):
    r = no_trace(kiosk("report", "--json", "--csv", data=tmp_path))
    assert r.returncode == 2
