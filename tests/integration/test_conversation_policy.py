"""The conversation asks the same policy and the same confirmations as the API: exact confirmations,
a reply after "응", guests' limits."""

from __future__ import annotations

from jibsa.domain import Command, Role
from jibsa.hub import Actor

GUEST = Actor("손님", Role.GUEST, "test")
MEMBER = Actor("엄마", Role.MEMBER, "test")


async def test_a_confirmation_confirms_only_the_request_it_was_asked_for(running) -> None:
    talk = running.conversation
    held = await talk.handle("5초 뒤에 현관문 열어줘", session="s", actor=MEMBER)
    assert held.needs_confirmation
    other = await talk.handle("현관문 열어줘", session="s", actor=MEMBER, confirm=True)
    assert other.needs_confirmation and other.outcomes == ()
    assert running.hub.state("front_door")["lock"] == "locked" and running.hub.pending_jobs() == []


async def test_yes_to_a_delayed_unlock_keeps_it_and_says_so(running) -> None:
    talk = running.conversation
    await talk.handle("5초 뒤에 현관문 열어줘", session="s", actor=MEMBER)
    yes = await talk.handle("응", session="s", actor=MEMBER)
    assert yes.reply.strip() and "현관문" in yes.reply
    assert [j.command["intent"] for j in running.hub.pending_jobs()] == ["unlock"]


async def test_yes_from_someone_else_confirms_nothing(running) -> None:
    talk = running.conversation
    await talk.handle("현관문 열어줘", session="s", actor=MEMBER)
    other = await talk.handle("응", session="s", actor=Actor("아빠", Role.MEMBER, "test"))
    assert other.outcomes == () and running.hub.state("front_door")["lock"] == "locked"


async def test_a_guest_cannot_cancel_a_members_timer_by_talking(running) -> None:
    talk = running.conversation
    await talk.handle("10분 타이머 맞춰줘", actor=MEMBER)
    turn = await talk.handle("타이머 취소해줘", actor=GUEST)
    assert [j.meta["actor"] for j in running.hub.pending_jobs()] == ["엄마"]
    assert "취소할 타이머가 없어요" in turn.reply


async def test_a_guests_repeating_schedule_is_refused_before_anything_runs(running) -> None:
    turn = await running.conversation.handle("매일 아침 7시에 보일러 켜줘", actor=GUEST)
    assert turn.refused is not None and turn.outcomes == ()
    assert "손님" in turn.reply and running.hub.pending_jobs() == []


async def test_the_hub_refuses_a_guests_automation_whatever_path_it_takes(running) -> None:
    daily = Command("turn_on", ("boiler",), {"at": "07:00", "repeat": "daily"})
    outcome = await running.hub.execute(daily, actor=GUEST)
    assert outcome.error == "not_allowed" and running.hub.pending_jobs() == []


async def test_a_kind_in_several_rooms_is_asked_about_and_the_answer_completes_it(running) -> None:
    talk = running.conversation
    asked = await talk.handle("에어컨 켜서 23도로", session="s", actor=MEMBER)
    assert asked.outcomes == () and set(asked.needs_choice) == {"living_ac", "master_ac"}
    assert asked.to_dict()["needs_choice"] == list(asked.needs_choice)
    answered = await talk.handle("거실", session="s", actor=MEMBER)
    assert running.hub.state("living_ac")["power"] is True and running.hub.state("living_ac")["temperature"] == 23
    assert running.hub.state("master_ac")["power"] is False and answered.outcomes
