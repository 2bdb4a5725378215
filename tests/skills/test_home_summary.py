"""list_jobs and query_home on the sample home: answers read from the scheduler and the state table."""

from __future__ import annotations

from jibsa.domain import Command
from jibsa.skills.home_summary import said


async def test_no_jobs_then_the_kept_ones(running) -> None:
    hub = running.hub
    empty = await hub.execute(Command("list_jobs"))
    assert empty.answer["jobs"] == [] and empty.answer["said"]["ko"] == "예약해 둔 일이 없어요."
    await running.conversation.handle("30분 뒤에 보일러 꺼")
    await running.conversation.handle("5분 타이머")
    listed = await hub.execute(Command("list_jobs"))
    assert sorted(j["kind"] for j in listed.answer["jobs"]) == ["command", "timer"]
    said_ko = listed.answer["said"]["ko"]
    assert said_ko.startswith("예약된 일이 2개 있어요") and "보일러 끄기" in said_ko and "타이머 5분 남음" in said_ko
    assert said(listed.answer, ko=True) == said_ko and said(listed.answer, ko=False).startswith("2 scheduled")


async def test_the_home_summary_reads_the_states(running) -> None:
    hub = running.hub
    await hub.execute(Command("turn_on", ("living_tv",)))
    await hub.execute(Command("unlock", ("front_door",)), confirmed=True)
    summary = await hub.execute(Command("query_home"))
    assert "living_tv" in summary.answer["on"] and summary.answer["open"] == ["front_door"]
    home_ko = said(summary.answer, ko=True)
    assert "거실 TV" in home_ko and "열려 있는 건 현관문이에요." in home_ko
    assert summary.answer["temperatures"] and "온도는 거실" in home_ko
    await hub.execute(Command("lock", ("front_door",)))
    assert (await hub.execute(Command("query_home"))).answer["open"] == []


async def test_asking_in_words_reaches_the_skills(running) -> None:
    turn = await running.conversation.handle("예약 뭐 있어?")
    assert [o.command.intent for o in turn.outcomes] == ["list_jobs"] and turn.outcomes[0].ok
    turn = await running.conversation.handle("지금 집 상태 어때?")
    assert [o.command.intent for o in turn.outcomes] == ["query_home"] and turn.outcomes[0].ok


async def test_kept_jobs_are_listed_with_and_and_times_as_people_say_them(running) -> None:
    await running.conversation.handle("30분 뒤에 거실 불 꺼")
    said_ko = (await running.hub.execute(Command("list_jobs"))).answer["said"]["ko"]
    assert "거실 천장등과 거실 스탠드 끄기" in said_ko


def test_time_left_is_rounded_as_people_say_it() -> None:
    from jibsa.domain.korean import about_text

    assert about_text(5374) == "1시간 30분쯤"  # 1시간 29분 34초
    assert about_text(600) == "10분" and about_text(42) == "42초" and about_text(3600) == "1시간"
    assert about_text(598) == "10분쯤"


async def test_a_kept_scene_is_listed_by_its_english_name_in_english(running) -> None:
    """The home file's `name_en` ("away mode") in English; the scene's name in Korean."""
    turn = await running.conversation.handle("30분 뒤에 외출 모드 실행해줘")
    assert [o.command.intent for o in turn.outcomes] == ["run_scene"] and turn.outcomes[0].scheduled is not None
    listed = (await running.hub.execute(Command("list_jobs"))).answer
    assert "외출 모드 실행" in said(listed, ko=True)
    english = said(listed, ko=False)
    assert english.startswith("1 scheduled") and english.endswith(" start away mode.") and "외출" not in english
