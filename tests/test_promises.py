"""Numbers the README and SPEECH.md promise, each held by a test that fails when it changes.

Behaviour where it is cheap (the flow one tick either side of a limit, the log's own PRAGMAs,
the report on a real SQLite file); no Kivy, no clock of this machine."""

import pytest

from flowkit import run
from kiosk.core.visit import flow as f
from kiosk.core.understand import intents
from kiosk.core.screens import layout
from kiosk.core.visit.access import VOLUME_MAX, VOLUME_MIN, config_from_env
from kiosk.core.data.datacare import DEFAULT_SETTINGS, get_int_setting
from kiosk.core.data.report import build_report
from kiosk.core.data.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kiosk.sqlite3")
    yield s
    s.close()


@pytest.fixture
def env_flow(fixture_catalog, monkeypatch):
    """The flow as the kiosk builds it: settings from the environment, none of them set."""
    for key in ("KIOSK_IDLE_AFTER", "KIOSK_ANSWER_WITHIN", "KIOSK_HEADPHONES"):
        monkeypatch.delenv(key, raising=False)
    return f.Flow(fixture_catalog, config_from_env())


# --- the log: "WAL mode with synchronous=FULL, one commit per event" --------------------------

def test_the_log_is_wal_with_synchronous_full(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # 2 = FULL (1 NORMAL, 0 OFF)
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


# --- idle: "Bạn còn ở đó không?" after 90 s, 30 s to answer (at least 20) -------------------------

def test_idle_warning_comes_at_90_seconds_not_before(env_flow):
    state, _ = run(env_flow, [f.Tap("start", now=0)])
    state, effects = env_flow.next(state, f.Tick(89.9))
    assert not state.warning and not effects
    state, effects = env_flow.next(state, f.Tick(90.0))
    assert state.warning and any(isinstance(e, f.Log) and e.kind == "idle_warning" for e in effects)


def test_unanswered_warning_wipes_the_session_after_30_seconds(env_flow):
    state, _ = run(env_flow, [f.Tap("start", now=0)])
    state, _ = env_flow.next(state, f.Tick(90.0))
    state, _ = env_flow.next(state, f.Tick(119.9))
    assert state.active and state.warning
    state, _ = env_flow.next(state, f.Tick(120.0))
    assert not state.active and state.screen == "welcome"


def test_answer_time_setting_is_at_least_20_seconds(monkeypatch):
    monkeypatch.setenv("KIOSK_ANSWER_WITHIN", "5")
    monkeypatch.setenv("KIOSK_IDLE_AFTER", "45")
    cfg = config_from_env()
    assert cfg.answer_within == 20.0 and cfg.idle_after == 45.0


# --- voice: below confidence 0.8 the kiosk asks "… đúng không?" ---------------------------------

@pytest.mark.parametrize("confidence, asks", [(0.79, True), (0.8, False), (0.85, False), (0.95, False)])
def test_confirm_below_confidence_0_8(confidence, asks):
    assert intents.needs_confirm(intents.Intent("next", confidence)) is asks


def test_irreversible_commands_are_always_confirmed():
    for name in ("call_staff", "home"):
        assert intents.needs_confirm(intents.Intent(name, 1.0))


# --- the report: a lesson finished twice in one session is one finished lesson --------------------

def test_lesson_finished_twice_in_one_session_counts_once(store):
    def walk(sid):
        store.log(sid, "lesson_start", lesson="thu-wifi", topic="internet", steps=3)
        for k in (1, 2, 3):
            store.log(sid, "step", lesson="thu-wifi", topic="internet", step=k, steps=3)
        store.log(sid, "lesson_finish", lesson="thu-wifi", topic="internet", steps=3)

    twice = store.start_session()
    walk(twice)
    walk(twice)  # the visitor went through the same lesson again
    walk(store.start_session())  # another visitor: counts on its own
    r = build_report(store)
    assert r["lessons_started"] == 2 and r["lessons_finished"] == 2
    (wifi,) = r["lessons"]
    assert (wifi["started"], wifi["finished"]) == (2, 2)
    assert r["topics"] == [{"topic": "internet", "started": 2, "finished": 2}]


# --- screens and settings ---------------------------------------------------------------------------

def test_accessibility_sizes_promised_in_the_readme():
    # large text at least 1.6x; touch targets at least 20 mm, 5 mm apart
    assert (layout.LARGE_FACTOR, layout.TARGET_MM, layout.GAP_MM) == (1.6, 20.0, 5.0)


def test_volume_is_1_to_10():
    assert (VOLUME_MIN, VOLUME_MAX) == (1, 10)
    assert f.State().volume == 6


def test_console_setting_defaults(store):
    """Retention 365 days and logout after 30 minutes unused, both in a fresh log and as the
    fallback when the row is missing."""
    assert get_int_setting(store, "retention_days") == 365
    assert get_int_setting(store, "session_minutes") == 30
    store.conn.execute("DELETE FROM settings")
    assert get_int_setting(store, "retention_days") == 365 == int(DEFAULT_SETTINGS["retention_days"])
    assert get_int_setting(store, "session_minutes") == 30


def test_speech_thresholds_in_speech_md():
    # below 0.5 the parser gives no intent at all; a command at 0.49 is asked again
    assert intents.MIN_CONFIDENCE == 0.5 and intents.CONFIRM_BELOW == 0.8


def test_staff_pin_is_6_to_12_digits():
    from kiosk.staff.auth import AuthError, check_pin
    for good in ("123456", "123456789012"):
        check_pin(good)
    for bad in ("12345", "1234567890123", "12ab56"):
        with pytest.raises(AuthError, match="6 to 12 digits"):
            check_pin(bad)
