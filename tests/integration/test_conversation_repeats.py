"""Issue 18 §4b: "저녁 7시마다 …" and "매주 월요일 …" are read back as repeating jobs and kept after "응"."""

from __future__ import annotations

from jibsa.domain import Role
from jibsa.hub import Actor

MEMBER = Actor("엄마", Role.MEMBER, "test")


async def test_every_evening_at_seven_repeats_and_yes_after_it_is_understood(running) -> None:
    talk = running.conversation
    said = await talk.handle("저녁 7시마다 거실 불 켜줘", session="s", actor=MEMBER)
    assert said.needs_confirmation and said.reply.startswith("매일 저녁 7시에") and said.reply.endswith("저장할까요?")
    assert running.hub.pending_jobs() == []  # read back first, like a rule
    yes = await talk.handle("응", session="s", actor=MEMBER)
    assert "모르겠" not in yes.reply and yes.reply.strip()
    assert [(j.at, j.repeat) for j in running.hub.pending_jobs()] == [("19:00", "daily")]


async def test_no_after_a_repeating_schedule_keeps_nothing(running) -> None:
    talk = running.conversation
    await talk.handle("밤 10시마다 불 다 꺼줘", session="s", actor=MEMBER)
    await talk.handle("아니", session="s", actor=MEMBER)
    assert running.hub.pending_jobs() == []


async def test_every_monday_keeps_a_weekly_job_after_yes(running) -> None:
    talk = running.conversation
    said = await talk.handle("매주 월요일 아침 8시에 거실 불 켜줘", session="s", actor=MEMBER)
    assert said.reply.startswith("매주 월요일 오전 8시에")
    await talk.handle("응", session="s", actor=MEMBER)
    assert [(j.at, j.repeat) for j in running.hub.pending_jobs()] == [("08:00", "mon")]
