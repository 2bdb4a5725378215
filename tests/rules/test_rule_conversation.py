"""Rules through the conversation: read back, saved after a yes, listed, switched off and removed;
guests are refused."""

from __future__ import annotations

from tests_rules_support import engine_of

from jibsa.app import RunningHome
from jibsa.domain import Role
from jibsa.hub import Actor

OWNER = Actor("엄마", Role.OWNER, "cli")


async def test_a_rule_is_read_back_and_saved_on_yes(running: RunningHome) -> None:
    talk = running.conversation
    asked = await talk.handle("세탁 끝나면 알려줘", session="s1", actor=OWNER)
    assert asked.needs_confirmation
    assert asked.reply == "세탁기가 끝나면 알려 드릴게요. 이렇게 저장할까요?"
    assert engine_of(running).rules == {}  # nothing saved before the yes
    saved = await talk.handle("응", session="s1", actor=OWNER)
    [rule] = engine_of(running).rules.values()
    assert (rule.name, rule.once, rule.created_by) == ("세탁 끝나면 알려줘", True, "엄마")
    assert saved.reply == "'세탁 끝나면 알려줘' 규칙을 저장했어요."


async def test_no_keeps_nothing(running: RunningHome) -> None:
    talk = running.conversation
    await talk.handle("비 오면 창문 닫아줘", session="s2", actor=OWNER)
    declined = await talk.handle("아니", session="s2", actor=OWNER)
    assert engine_of(running).rules == {} and declined.reply == "알겠어요, 그대로 둘게요."


async def test_rules_are_listed_switched_off_and_removed(running: RunningHome) -> None:
    talk = running.conversation
    for said in ("매일 해 지면 정원등 켜줘", "세탁 끝나면 알려줘"):
        await talk.handle(said, session="s3", actor=OWNER)
        await talk.handle("응", session="s3", actor=OWNER)
    listed = await talk.handle("규칙 뭐 있어?", session="s3", actor=OWNER)
    assert listed.reply == "규칙 2개: 매일 해 지면 정원등 켜줘, 세탁 끝나면 알려줘."
    off = await talk.handle("정원등 규칙 꺼줘", session="s3", actor=OWNER)
    assert off.reply == "매일 해 지면 정원등 켜줘 규칙을 껐어요."
    assert [r.enabled for r in engine_of(running).rules.values() if "정원등" in r.name] == [False]
    await talk.handle("세탁기 규칙 지워줘", session="s3", actor=OWNER)
    assert [r.name for r in engine_of(running).rules.values()] == ["매일 해 지면 정원등 켜줘"]
    missing = await talk.handle("보일러 규칙 지워줘", session="s3", actor=OWNER)
    assert missing.reply == "그런 규칙이 없어요."


async def test_a_guest_cannot_make_a_rule_by_talking(running: RunningHome) -> None:
    talk = running.conversation
    guest = Actor("손님", Role.GUEST, "api")
    refused = await talk.handle("세탁 끝나면 알려줘", session="g", actor=guest)  # refused at once, not asked
    assert refused.refused is not None and not refused.needs_confirmation and "손님" in refused.reply
    await talk.handle("응", session="g", actor=guest)
    assert engine_of(running).rules == {}


async def test_an_unlocking_rule_is_said_to_need_an_owner_and_taken_only_from_one(running: RunningHome) -> None:
    talk = running.conversation
    member = Actor("아이", Role.MEMBER, "cli")
    asked = await talk.handle("엄마 오면 현관문 열어줘", session="m", actor=member)
    assert asked.reply == (
        "엄마가 오면 현관문을 잠금 해제할게요. 문을 여는 규칙이라 집주인이 확인해야 해요. 이렇게 저장할까요?"
    )
    refused = await talk.handle("응", session="m", actor=member)
    assert refused.reply == "문을 열거나 가스를 여는 규칙은 집주인이 확인해야 만들 수 있어요."
    await talk.handle("엄마 오면 현관문 열어줘", session="o", actor=OWNER)
    await talk.handle("응", session="o", actor=OWNER)
    [rule] = engine_of(running).rules.values()
    assert rule.confirmed and rule.created_by == "엄마"


async def test_when_i_come_home_is_a_rule_about_the_one_who_said_it(running: RunningHome) -> None:
    talk = running.conversation
    asked = await talk.handle("내가 집에 오면 거실 불 켜줘", session="me", actor=OWNER)
    assert asked.needs_confirmation and asked.reply.startswith("엄마가 오면")
    await talk.handle("응", session="me", actor=OWNER)
    [rule] = engine_of(running).rules.values()
    assert rule.when.person == "엄마"  # type: ignore[attr-defined]
    presence = engine_of(running).presence
    presence.set("아빠", True)  # someone else coming home does nothing
    await engine_of(running).settled()
    assert running.hub.state("living_light")["power"] is False
    presence.set("엄마", True)
    await engine_of(running).settled()
    assert running.hub.state("living_light")["power"] is True


async def test_a_satellite_does_not_know_who_i_am(running: RunningHome) -> None:
    """A satellite cannot tell who speaks to it: "내가" stays anyone, and the read-back says so."""
    satellite = Actor("부엌 스피커", Role.SATELLITE, "wyoming")
    asked = await running.conversation.handle("내가 집에 오면 거실 불 켜줘", session="sat", actor=satellite)
    assert [c.params["rule"]["when"] for c in asked.commands] == [{"kind": "presence", "event": "arrive"}]
    assert "부엌 스피커" not in asked.reply
