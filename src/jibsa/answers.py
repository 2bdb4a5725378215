"""What jibsa says about answers that are not device results: time, date, weather, timers, lists,
scenes, kept commands and refusals. The sentences live in the catalogue (`words/<language>.yaml`); this module
only fills in their fields (numbers, particles, names) and picks the sentence the intent registry names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jibsa.domain import Home
from jibsa.domain.intents import BUILTIN_INTENTS, Handler, IntentRegistry
from jibsa.domain.korean import duration_text
from jibsa.hub import Outcome
from jibsa.nlu import naming
from jibsa.rules.readback import describe_rule_outcome
from jibsa.words import Said, catalogue, english, say


def _lang(language: str) -> str:
    return "en" if language == "en" else "ko"


def texts(language: str) -> dict[str, Any]:
    """The sentences of answers in `language` ("en", else Korean), from the catalogue (words/<lang>.yaml)."""
    words = catalogue(_lang(language))
    return {
        "answers": words["answer"],
        "errors": words["answer_error"],
        "conversation": words["conversation"],
        "weekdays": words["calendar"]["weekdays"],
        "days": words["calendar"]["days"],
        "lists": words["lists"],
    }


def said(key: str, language: str, **fields: Any) -> str:
    """One of the conversation's own sentences ("declined", "not_allowed", ...), filled in."""
    return say(Said(f"conversation.{key}", fields), _lang(language))


def error_text(code: str, language: str) -> str:
    """Why a request as a whole could not be carried out, or "" for a code with no sentence."""
    return str(catalogue(_lang(language))["answer_error"].get(code, ""))


def describe_outcome(home: Home, outcome: Outcome, language: str, *, intents: IntentRegistry = BUILTIN_INTENTS) -> str:
    """The sentence for one non-device outcome; "" when the parser's promise says it best."""
    told = _skills_own_words(outcome.answer, language)
    if told:
        return told
    spec = intents.get(outcome.command.intent)
    if spec is not None and spec.handler is Handler.RULES:
        return describe_rule_outcome(outcome.command.intent, outcome.answer, outcome.error, language)
    if outcome.error:
        return error_text(outcome.error, language)
    if outcome.scheduled is not None and outcome.command.intent != "set_timer":
        return ""  # the parser already said "30분 뒤에 보일러를 끌게요."
    if spec is None:
        return ""
    speak = _SPEAKERS.get(spec.reply_key)
    if speak is not None:
        return speak(_Say(language, home), outcome.answer)
    own = spec.sentences.get("en" if language == "en" else "ko")  # an intent that brings its own answer
    return own.format(**outcome.answer) if own else ""


def _skills_own_words(answer: Mapping[str, Any], language: str) -> str:
    """A skill that words its own answer: `said`, a key of the catalogue (a `Said`'s JSON) or a sentence
    in each language ({"ko", "en"}), or `reply` already in the language it was asked in (partner skills)."""
    told = answer.get("said")
    if isinstance(told, Mapping) and "key" in told:
        return say(Said.from_json(told), _lang(language))
    if isinstance(told, Mapping) and told:
        return str(told.get("en" if language == "en" else "ko", ""))
    reply = answer.get("reply")
    return reply if isinstance(reply, str) else ""


class _Say:
    """The sentences of one language (the catalogue fills in particles, clock times and durations)."""

    def __init__(self, language: str, home: Home) -> None:
        self.ko = language != "en"
        self.home = home
        self.texts = texts(language)

    def __call__(self, key: str, **fields: Any) -> str:
        return say(Said(f"answer.{key}", fields), "ko" if self.ko else "en")

    def duration(self, seconds: float) -> str:
        return duration_text(seconds) if self.ko else english.duration_text(seconds)


def _time(say: _Say, answer: Mapping[str, Any]) -> str:
    shown = "{:02d}:{:02d}".format(answer["hour"], answer["minute"])
    return say("get_time", clock=shown)


def _date(say: _Say, answer: Mapping[str, Any]) -> str:
    weekday = say.texts["weekdays"][answer["weekday"]]
    return say("get_date", date=answer["iso"], weekday=weekday)


def _timer_set(say: _Say, answer: Mapping[str, Any]) -> str:
    return say("timer_set", duration=answer["duration_s"])


def _timers_left(say: _Say, answer: Mapping[str, Any]) -> str:
    timers = answer.get("timers", [])
    if not timers:
        scheduled = int(answer.get("scheduled", 0))  # a person who said "30분 뒤에 보일러 꺼" asks for "타이머"
        return say("timers_none_but_scheduled", count=scheduled) if scheduled else say("timers_none")
    return say("timers_left", left=", ".join(say.duration(t["remaining_s"]) for t in timers))


def _counted(key: str) -> Callable[[_Say, Mapping[str, Any]], str]:
    """None, one, or how many: "취소할 타이머가 없어요." / "타이머를 취소했어요." / "타이머 2개를 …"."""

    def speak(say: _Say, answer: Mapping[str, Any]) -> str:
        count = int(answer.get("cancelled", 0))
        text = say(f"{key}_none") if count == 0 else say(f"{key}_one") if count == 1 else say(key, count=count)
        if answer.get("others"):
            text += " " + say(f"{key}_others")
        return text

    return speak


def _item_added(say: _Say, answer: Mapping[str, Any]) -> str:
    listed = say.texts["lists"].get(answer["list"], answer["list"])
    return say("item_added", item=str(answer["item"]), list=listed)


def _scene_run(say: _Say, answer: Mapping[str, Any]) -> str:
    """ "외출 모드를 실행했어요.", "Away mode is on." (the scene's English name when the home file gives one)."""
    if not answer.get("name"):
        return ""
    scene = {**naming.scene(say.home, str(answer.get("scene", ""))), "name": str(answer["name"])}
    text = say("run_scene", scene=scene)
    return text if say.ko else text[:1].upper() + text[1:]  # "Away mode is on.", the English name leading


_SPEAKERS: dict[str, Callable[[_Say, Mapping[str, Any]], str]] = {
    "get_time": _time, "get_date": _date, "timer_set": _timer_set,
    "timers_left": _timers_left, "cancelled_timers": _counted("cancelled_timers"),
    "cancelled_recent": lambda say, answer: _counted("cancelled_jobs" if answer.get("all") else "cancelled_recent")(
        say, answer), "item_added": _item_added, "run_scene": _scene_run,
}  # fmt: skip
