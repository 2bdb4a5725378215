"""What jibsa says about answers that are not device results: time, date, weather, timers,
lists, scenes and commands kept for later."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from jibsa.domain import Home
from jibsa.domain.commands import RULE_INTENTS
from jibsa.hub import Outcome
from jibsa.nlu.josa import clock_text, duration_text, josa, number_text
from jibsa.nlu.rule_readback import describe_rule_outcome

WEEKDAYS_KO = ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAYS_KO = {"today": "오늘", "tomorrow": "내일", "day_after_tomorrow": "모레"}
LISTS_KO = {"shopping": "장보기 목록"}
ERRORS_KO = {
    "no_weather_source": "날씨 정보를 가져올 곳이 아직 설정되어 있지 않아요.",
    "weather_unavailable": "지금은 날씨 정보를 가져올 수 없어요.",
    "unknown_city": "그 지역의 날씨는 아직 알 수 없어요.",
    "unknown_scene": "그런 장면은 없어요.",
    "bad_duration": "타이머 시간을 알아듣지 못했어요.",
    "no_item": "무엇을 추가할지 알아듣지 못했어요.",
    "unsupported_intent": "그건 아직 할 수 없어요.",
}
ERRORS_EN = {
    "no_weather_source": "No weather source is set up yet.",
    "weather_unavailable": "I can't get the weather right now.",
    "unknown_city": "I don't know the weather for that place yet.",
    "unknown_scene": "There is no such scene.",
    "bad_duration": "I didn't catch how long the timer should be.",
    "no_item": "I didn't catch what to add.",
    "unsupported_intent": "I can't do that yet.",
}






def _duration_en(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' * (minutes != 1)}" if seconds >= 60 else f"{int(seconds)} seconds"




def describe_outcome(home: Home, outcome: Outcome, language: str, tz: ZoneInfo, now: float) -> str:
    """The sentence for one non-device outcome; "" when the parser's promise says it best."""
    ko = language != "en"
    if outcome.command.intent in RULE_INTENTS:
        return describe_rule_outcome(outcome.command.intent, outcome.answer, outcome.error, language)
    if outcome.error:
        return (ERRORS_KO if ko else ERRORS_EN).get(outcome.error, "")
    if outcome.scheduled is not None and outcome.command.intent != "set_timer":
        return ""  # the parser already said "30분 뒤에 보일러를 끌게요."
    speak = _SPEAKERS.get(outcome.command.intent)
    return speak(outcome.answer, ko) if speak else ""


def _time(answer: Mapping[str, Any], ko: bool) -> str:
    shown = "{:02d}:{:02d}".format(answer["hour"], answer["minute"])
    return f"지금은 {clock_text(shown)}이에요." if ko else f"It's {shown}."


def _date(answer: Mapping[str, Any], ko: bool) -> str:
    if ko:
        return f"오늘은 {answer['month']}월 {answer['day']}일 {WEEKDAYS_KO[answer['weekday']]}이에요."
    return f"Today is {WEEKDAYS_EN[answer['weekday']]}, {answer['iso']}."


def _weather(answer: Mapping[str, Any], ko: bool) -> str:
    day = DAYS_KO.get(answer.get("day", "today"), "오늘")
    span = (f", 최고 {number_text(answer['high'])}도 최저 {number_text(answer['low'])}도"
            if "high" in answer and "low" in answer else "")
    if ko:
        if answer.get("day", "today") == "today" and "temperature" in answer:
            now = number_text(answer["temperature"])
            return f"{day} {josa(answer['city'], '은')} {answer['summary']}, 지금 {now}도{span}예요."
        return f"{day} {josa(answer['city'], '은')} {answer['summary']}{span}예요."
    return f"{answer['city']}: {answer.get('summary', '')}, {answer.get('temperature', '?')}°C."



def _timer_set(answer: Mapping[str, Any], ko: bool) -> str:
    length = duration_text(answer["duration_s"]) if ko else _duration_en(answer["duration_s"])
    return f"{length} 타이머를 맞췄어요." if ko else f"Timer set for {length}."


def _timers(answer: Mapping[str, Any], ko: bool) -> str:
    timers = answer.get("timers", [])
    if not timers:
        return "맞춰 둔 타이머가 없어요." if ko else "There are no timers."
    left = ", ".join(duration_text(t["remaining_s"]) if ko else _duration_en(t["remaining_s"]) for t in timers)
    return f"타이머가 {left} 남았어요." if ko else f"Time left: {left}."


def _cancelled(answer: Mapping[str, Any], ko: bool) -> str:
    count = answer.get("cancelled", 0)
    if ko:
        return f"{count}개를 취소했어요." if count else "취소할 게 없어요."
    return f"Cancelled {count}." if count else "Nothing to cancel."


def _item_added(answer: Mapping[str, Any], ko: bool) -> str:
    item, list_name = answer["item"], LISTS_KO.get(answer["list"], answer["list"])
    if ko:
        return f"{josa(item, '을')} {list_name}에 추가했어요."
    return f"Added {item} to your {answer['list']} list."


_SPEAKERS: dict[str, Callable[[Mapping[str, Any], bool], str]] = {
    "get_time": _time, "get_date": _date, "get_weather": _weather, "set_timer": _timer_set,
    "query_timer": _timers, "cancel_timer": _cancelled, "cancel": _cancelled, "add_item": _item_added,
}  # fmt: skip
