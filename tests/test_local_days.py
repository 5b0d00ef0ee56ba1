"""Days at the centre: stored times are UTC, but ticket numbers restart and reports count days,
weeks and months in the centre's time zone (KIOSK_TZ, default Asia/Ho_Chi_Minh).

Every moment here is passed in explicitly, at one second either side of local midnight, so
the tests mean the same on any day, in any machine time zone."""

import datetime as dt
import logging

import pytest

from kiosk.core.data import timeutil
from kiosk.core.data.datacare import apply_retention, set_settings
from kiosk.core.data.queue import Queue
from kiosk.core.data.report import build_report, parse_since, report_csv
from kiosk.core.data.store import Store

HCM = dt.timezone(dt.timedelta(hours=7))  # Vietnam: UTC+7 all year, no daylight saving


def at(y, mo, d, h, mi, s, tz=HCM) -> str:
    """A local wall-clock moment as the log stores it (UTC)."""
    return timeutil.stamp(dt.datetime(y, mo, d, h, mi, s, tzinfo=tz))


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_TZ", raising=False)
    s = Store(tmp_path / "kiosk.sqlite3")
    yield s
    s.close()


def test_default_zone_is_vietnam_and_the_day_turns_at_local_midnight(monkeypatch):
    monkeypatch.delenv("KIOSK_TZ", raising=False)
    assert timeutil.zone_name() == "Asia/Ho_Chi_Minh"
    assert timeutil.local_day(at(2026, 11, 25, 23, 59, 59)) == "2026-11-25"
    assert timeutil.local_day(at(2026, 11, 26, 0, 0, 1)) == "2026-11-26"
    # 06:30 in Hà Nội is still the previous UTC day: it belongs to the local day
    assert at(2026, 11, 26, 6, 30, 0).startswith("2026-11-25T23:30")
    assert timeutil.local_day(at(2026, 11, 26, 6, 30, 0)) == "2026-11-26"
    aware = dt.datetime(2026, 11, 25, 17, 0, 1, tzinfo=dt.timezone.utc)
    assert timeutil.local_day(aware) == "2026-11-26" == timeutil.local_today(aware)


def test_the_zone_is_a_setting_and_a_typo_falls_back_with_a_log_line(monkeypatch, caplog):
    moment = at(2026, 11, 26, 0, 0, 1)  # 17:00:01 UTC on the 25th
    monkeypatch.setenv("KIOSK_TZ", "UTC")
    assert timeutil.local_day(moment) == "2026-11-25"
    monkeypatch.setenv("KIOSK_TZ", "Europe/Paris")
    assert timeutil.day_start(dt.date(2026, 7, 1)) == "2026-06-30T22:00:00.000000Z"  # summer time
    monkeypatch.setenv("KIOSK_TZ", "Asia/Ho_Chi_Minh_typo")
    with caplog.at_level(logging.WARNING, logger="kiosk.core.data.timeutil"):
        timeutil._zone.cache_clear()
        assert timeutil.local_day(moment) == "2026-11-26"
    assert "KIOSK_TZ='Asia/Ho_Chi_Minh_typo' is not a known time zone" in caplog.text


def test_ticket_numbers_restart_at_local_midnight_not_at_utc_midnight(store):
    late = store.create_ticket(None, {}, at=at(2026, 11, 25, 23, 59, 59))
    early = store.create_ticket(None, {}, at=at(2026, 11, 26, 0, 0, 1))
    # 07:00:01 local is 00:00:01 UTC: a UTC day would restart the numbers here
    seven = store.create_ticket(None, {}, at=at(2026, 11, 26, 7, 0, 1))
    assert (late, early, seven) == ("A001", "A001", "A002")
    days = [t["day"] for t in store.tickets()]
    assert days == ["2026-11-25", "2026-11-26", "2026-11-26"]
    # the history page filters by the same local day
    assert [t["number"] for t in Queue(store).recent(day="2026-11-26")] == ["A002", "A001"]


def test_report_counts_days_weeks_and_months_of_the_centre(store):
    # Sunday 29 Nov 2026 23:59:59 and Monday 30 Nov 00:00:01: another day and ISO week;
    # Monday 30 Nov 23:59:59 and Tuesday 1 Dec 00:00:01: another month
    for moment in (at(2026, 11, 29, 23, 59, 59), at(2026, 11, 30, 0, 0, 1),
                   at(2026, 11, 30, 23, 59, 59), at(2026, 12, 1, 0, 0, 1)):
        store.start_session(at=moment)
    r = build_report(store)
    assert r["visitors"]["by_day"] == {"2026-11-29": 1, "2026-11-30": 2, "2026-12-01": 1}
    assert r["visitors"]["by_week"] == {"2026-W48": 1, "2026-W49": 3}
    assert r["visitors"]["by_month"] == {"2026-11": 3, "2026-12": 1}
    assert "visitors_day_2026-11-30,,,,2" in report_csv(r).splitlines()


def test_helped_counts_the_local_day_a_ticket_was_served(store):
    sid = store.start_session(at=at(2026, 11, 30, 23, 50, 0))
    store.create_ticket(sid, {}, at=at(2026, 11, 30, 23, 55, 0))
    q = Queue(store)
    t = q.call_next(1, "lan")
    q.serve(t["id"], "done_at_counter", "vneid", "lan")
    store.conn.execute("UPDATE tickets SET served_at = ?", (at(2026, 12, 1, 0, 0, 1),))
    assert build_report(store)["helped"]["by_day"] == {"2026-12-01": 1}


def test_since_starts_at_local_midnight(store):
    assert parse_since("2026-11-26") == "2026-11-25T17:00:00.000000Z"
    store.start_session(at=at(2026, 11, 25, 23, 59, 59))
    store.start_session(at=at(2026, 11, 26, 0, 0, 1))
    r = build_report(store, since="2026-11-26")
    assert r["sessions"] == 1 and r["visitors"]["by_day"] == {"2026-11-26": 1}


def test_retention_runs_once_per_local_day(store):
    store.start_session(at="2020-01-01T10:00:00.000000Z")
    set_settings(store, {"retention_days": "365"}, "lan")

    def when(*a):
        return dt.datetime(*a, tzinfo=HCM)

    assert apply_retention(store, when(2026, 11, 25, 23, 59, 59)) is not None
    assert apply_retention(store, when(2026, 11, 26, 0, 0, 1)) is not None  # a new local day
    # 06:59 and 07:01 local are on two UTC days but one local day: no second purge
    assert apply_retention(store, when(2026, 11, 27, 6, 59, 0)) is not None
    assert apply_retention(store, when(2026, 11, 27, 7, 1, 0)) is None
