"""Timers, delayed and scheduled commands: fired on time by the clock, kept across a restart."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jibsa.domain import Command, ErrorCode, Role
from jibsa.domain.policy import LATE_GRACE_S, SAFETY_LATE_GRACE_S, pending_job_limit
from jibsa.hub import Actor, Hub, JobFired, JobSkipped, ManualClock, TimerFinished

SEOUL = ZoneInfo("Asia/Seoul")


def at_seoul(clock: ManualClock) -> datetime:
    return datetime.fromtimestamp(clock.now(), SEOUL)


async def test_delayed_command_fires_after_its_delay(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        await hub.execute(Command("turn_on", ("lamp",)))
        outcome = await hub.execute(Command("turn_off", ("lamp",), {"delay_s": 1800}))
        assert outcome.scheduled is not None and outcome.scheduled.due == clock.now() + 1800
        await clock.advance(1799)
        assert hub.state("lamp")["power"] is True
        await clock.advance(2)
        assert hub.state("lamp")["power"] is False
        assert hub.pending_jobs() == []


async def test_delayed_command_survives_a_restart(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        await hub.execute(Command("turn_on", ("lamp",)))
        await hub.execute(Command("turn_off", ("lamp",), {"delay_s": 600}))
    await clock.advance(300)
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        assert [j.command["intent"] for j in hub.pending_jobs()] == ["turn_off"]
        assert hub.state("lamp")["power"] is True
        await clock.advance(301)
        assert hub.state("lamp")["power"] is False


async def test_job_due_while_stopped_fires_at_start_within_its_grace(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        await hub.execute(Command("turn_on", ("lamp",)))
        await hub.execute(Command("turn_off", ("lamp",), {"delay_s": 60}))
    await clock.advance(60 + LATE_GRACE_S / 2)
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        fired: list[JobFired] = []
        hub.bus.listen(lambda e: fired.append(e) if isinstance(e, JobFired) else None)
        await clock.advance(0)
        assert hub.state("lamp")["power"] is False
        assert fired and fired[0].late


async def test_job_later_than_its_grace_is_skipped_and_said(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        await hub.execute(Command("turn_on", ("lamp",)))
        await hub.execute(Command("turn_off", ("lamp",), {"delay_s": 60}))
    await clock.advance(3600)
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        skipped: list[JobSkipped] = []
        hub.bus.listen(lambda e: skipped.append(e) if isinstance(e, JobSkipped) else None)
        await clock.advance(0)
        assert hub.state("lamp")["power"] is True
        assert len(skipped) == 1 and skipped[0].late_s >= 3600 - 60
        assert hub.pending_jobs() == []


async def test_a_late_unlock_never_fires(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        kept = await hub.execute(Command("unlock", ("door",), {"delay_s": 30}), confirmed=True)
        assert kept.scheduled is not None
    await clock.advance(30 + SAFETY_LATE_GRACE_S + 1)  # far inside the ordinary grace, past the safety one
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        skipped: list[JobSkipped] = []
        hub.bus.listen(lambda e: skipped.append(e) if isinstance(e, JobSkipped) else None)
        await clock.advance(0)
        assert hub.state("door").get("lock") != "unlocked" and len(skipped) == 1


async def test_a_guest_cannot_cancel_someone_elses_timer(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        member, guest = Actor("엄마", Role.MEMBER), Actor("손님", Role.GUEST)
        await hub.execute(Command("set_timer", (), {"duration_s": 600}), actor=member)
        mine = await hub.execute(Command("set_timer", (), {"duration_s": 300}), actor=guest)
        cancelled = await hub.execute(Command("cancel_timer"), actor=guest)
        assert cancelled.answer == {"cancelled": 1, "others": 1}
        assert [j.meta["actor"] for j in hub.pending_jobs()] == ["엄마"]
        assert mine.scheduled is not None


async def test_cancelling_every_job_cancels_what_the_person_may_and_counts_others(home, store, clock, adapter) -> None:
    """ "예약 다 취소해" cancelled only the last one asked for (and said "방금 맡기신 일"): the 7 o'clock one rang."""
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        member, guest = Actor("엄마", Role.MEMBER), Actor("손님", Role.GUEST)
        await hub.execute(Command("turn_on", ("lamp",), {"at": "07:00", "repeat": "daily"}), actor=member)
        await hub.execute(Command("turn_off", ("lamp",), {"delay_s": 600}), actor=member)
        await hub.execute(Command("set_timer", (), {"duration_s": 300}), actor=guest)
        by_guest = await hub.execute(Command("cancel", (), {"all": True}), actor=guest)
        assert by_guest.answer == {"cancelled": 1, "others": 2, "all": True}
        assert len(hub.pending_jobs()) == 2
        by_member = await hub.execute(Command("cancel", (), {"all": True}), actor=member)
        assert by_member.answer == {"cancelled": 2, "others": 0, "all": True} and hub.pending_jobs() == []
        await clock.advance(24 * 3600)
        assert hub.state("lamp")["power"] is False


async def test_pending_jobs_per_person_are_bounded(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        guest = Actor("손님", Role.GUEST)
        outcomes = [
            await hub.execute(Command("set_timer", (), {"duration_s": 600}), actor=guest)
            for _ in range(pending_job_limit(Role.GUEST) + 3)
        ]
        assert [o.error for o in outcomes].count("too_many_jobs") == 3
        assert len(hub.pending_jobs()) == pending_job_limit(Role.GUEST)
        year = await hub.execute(Command("set_timer", (), {"duration_s": 365 * 24 * 3600}))
        assert year.error == "bad_duration"


async def test_scheduled_daily_command_repeats(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        start = at_seoul(clock)
        outcome = await hub.execute(Command("turn_on", ("lamp",), {"at": "21:00", "repeat": "daily"}))
        assert outcome.scheduled is not None
        due = datetime.fromtimestamp(outcome.scheduled.due, SEOUL)
        assert (due.hour, due.minute) == (21, 0) and due.date() == start.date()
        await clock.advance(outcome.scheduled.due - clock.now() + 1)
        assert hub.state("lamp")["power"] is True
        (following,) = hub.pending_jobs()
        assert following.due - outcome.scheduled.due == 24 * 3600


async def test_weekday_schedule_skips_the_weekend(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        outcome = await hub.execute(Command("turn_on", ("lamp",), {"at": "07:00", "repeat": "weekdays"}))
        assert outcome.scheduled is not None
        assert datetime.fromtimestamp(outcome.scheduled.due, SEOUL).weekday() < 5
        weekend = await hub.execute(Command("turn_on", ("bed_light",), {"at": "07:00", "repeat": "weekends"}))
        assert weekend.scheduled is not None
        assert datetime.fromtimestamp(weekend.scheduled.due, SEOUL).weekday() >= 5


async def test_scheduled_command_to_unknown_device_is_refused_now(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        outcome = await hub.execute(Command("turn_on", ("nothing",), {"delay_s": 60}))
        assert outcome.scheduled is None and not outcome.ok
        assert hub.pending_jobs() == []


async def test_timer_rings_and_can_be_queried_and_cancelled(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        rung: list[TimerFinished] = []
        hub.bus.listen(lambda e: rung.append(e) if isinstance(e, TimerFinished) else None)
        await hub.execute(Command("set_timer", (), {"duration_s": 600, "name": "라면"}))
        await hub.execute(Command("set_timer", (), {"duration_s": 60}))
        await clock.advance(30)
        query = await hub.execute(Command("query_timer"))
        assert sorted(t["remaining_s"] for t in query.answer["timers"]) == [30, 570]
        await clock.advance(31)
        assert len(rung) == 1 and rung[0].job.name == ""
        cancelled = await hub.execute(Command("cancel_timer", (), {"name": "라면"}))
        assert cancelled.answer["cancelled"] == 1
        await clock.advance(1000)
        assert len(rung) == 1


async def test_cancel_drops_what_the_session_just_asked_for(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        await hub.execute(Command("turn_off", ("lamp",), {"delay_s": 1800}), session="a")
        await hub.execute(Command("turn_off", ("bed_light",), {"delay_s": 1800}), session="b")
        outcome = await hub.execute(Command("cancel"), session="a")
        assert outcome.answer["cancelled"] == 1
        assert [j.command["targets"] for j in hub.pending_jobs()] == [["bed_light"]]


async def test_guests_may_not_make_repeating_schedules(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        guest = Actor("손님", Role.GUEST)
        repeating = await hub.execute(Command("turn_on", ("lamp",), {"at": "07:00", "repeat": "daily"}), actor=guest)
        once = await hub.execute(Command("turn_on", ("lamp",), {"delay_s": 60}), actor=guest)
        assert repeating.error == "not_allowed" and once.scheduled is not None
        assert len(hub.pending_jobs()) == 1


async def test_a_delayed_unlock_needs_its_confirmation_when_asked(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        asked = await hub.execute(Command("unlock", ("door",), {"delay_s": 60}))
        assert asked.scheduled is None and asked.results[0].error is ErrorCode.NEEDS_CONFIRMATION
        confirmed = await hub.execute(Command("unlock", ("door",), {"delay_s": 60}), confirmed=True)
        assert confirmed.scheduled is not None
        await clock.advance(61)
        assert hub.state("door")["lock"] == "unlocked"


def test_a_weekly_repeat_comes_on_its_day() -> None:
    """ "매주 월요일": the next Monday at that time (issue 18 §4b)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from jibsa.hub.schedule_time import next_occurrence

    seoul = ZoneInfo("Asia/Seoul")
    thursday = datetime(2026, 1, 1, 12, 0, tzinfo=seoul).timestamp()
    due = datetime.fromtimestamp(next_occurrence("08:00", thursday, seoul, "mon"), seoul)
    assert (due.weekday(), due.hour, due.minute, due.day) == (0, 8, 0, 5)
