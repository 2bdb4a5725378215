"""The weather in words, from a get_weather answer and the catalogue's `weather` section (words/ko.yaml,
en.yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from jibsa.domain.korean import fill, number_text
from jibsa.words import catalogue

RAIN_LIKELY = 60  # % chance of precipitation from which KMA's own wording says rain is expected
RAIN_POSSIBLE = 30
HUMID = 80
BAD_AIR = 3


def _sentences() -> dict[str, Any]:
    return {lang: catalogue(lang)["weather"] for lang in ("ko", "en")}


def _num(value: Any) -> str:
    return "?" if value is None else number_text(round(float(value), 1))


class _Words:
    def __init__(self, answer: Mapping[str, Any], language: str) -> None:
        self.lang = "en" if language == "en" else "ko"
        self.s: dict[str, Any] = _sentences()[self.lang]
        self.answer = answer
        self.city = str(answer["city_en"] if self.lang == "en" else answer["city"])

    def condition(self, name: str | None, joined: bool = False) -> str:
        words = self.s["conditions"].get(name or "clear", self.s["conditions"]["clear"])
        return str(words[1] if joined else words[0])

    def sky(self, name: str | None) -> str:
        """The sky in a day's sentence: joined to what follows in Korean ("맑고"), a noun in English ("clear")."""
        return self.condition(name, joined=self.lang == "ko")

    def day(self, day: Mapping[str, Any] | None = None) -> str:
        return str(self.s["days"].get(self.answer.get("day", "today"), "")) if day is None else self.weekday(day)

    def weekday(self, day: Mapping[str, Any]) -> str:
        return str(self.s["weekdays"][date.fromisoformat(day["day"]).weekday()])

    def say(self, key: str, **fields: Any) -> str:
        day = self.day()
        base = {
            "city": self.city,
            "day": day,
            "day_cap": day[:1].upper() + day[1:],
            "last_day": self.answer.get("last_day"),
        }
        return fill(str(self.s[key]), {**base, **fields}, self.lang)  # "{city|은}": the particle by its sound


def say_weather(answer: Mapping[str, Any], language: str) -> str:
    """One or two sentences answering what was asked (answer["topic"]), stale values said so."""
    words = _Words(answer, language)
    topic = answer.get("topic", "general")
    speak = {"rain": _rain, "umbrella": _umbrella, "dust": _dust, "laundry": _laundry}.get(topic, _general)
    if answer.get("day") == "weekend" and topic in ("general", "rain"):
        speak = _weekend
    body = speak(words)
    stale = answer.get("air_stale") if topic == "dust" else answer.get("stale")
    if stale and stale.get("as_of"):
        as_of = datetime.fromisoformat(stale["as_of"])
        return stale_notice(stale["reason"], as_of, words.lang, stale.get("source", "kma")) + " " + body
    return body


def stale_notice(reason: str, as_of: datetime, language: str, source: str = "kma") -> str:
    """ "기상청에 연결할 수 없어서 14시 00분 기준 마지막 정보로 알려 드려요." and the like, naming the
    service that failed (`source`: "kma", "open_meteo", "airkorea")."""
    words = _sentences()["en" if language == "en" else "ko"]
    shown = as_of.strftime(str(words["clock"]))
    return str(words["stale"].get(reason, words["stale"]["other"])).format(as_of=shown, source=_source(words, source))


def condition_words(condition: str | None) -> dict[str, str]:
    """A condition's name in both languages: {"ko": "구름 많음", "en": "mostly cloudy"}."""
    return {lang: str(_sentences()[lang]["conditions"].get(condition or "clear", ["?"])[0]) for lang in ("ko", "en")}


def grade_words(grade: int | None) -> dict[str, str]:
    """AirKorea's grade in both languages: 2 -> {"ko": "보통", "en": "moderate"}."""
    return {lang: str(_sentences()[lang]["grades"].get(grade, "?")) for lang in ("ko", "en")}


def say_failure(reason: str, language: str, source: str = "kma") -> str:
    """Why there is no weather at all: the network, the key, the quota or the service, naming the
    service that failed (`source`)."""
    words = _sentences()["en" if language == "en" else "ko"]
    failed = words["failed"]
    return str(failed.get(reason, failed["other"])).format(source=_source(words, source))


def say_setup_failure(reason: str, language: str) -> str:
    """Why the weather setup was not kept: the key refused, no key, a city not listed, or the service."""
    setup = _sentences()["en" if language == "en" else "ko"]["setup"]
    return str(setup.get(reason, setup["other"]))


def _source(words: Mapping[str, Any], source: str) -> str:
    """The failed service's name as people know it: "kma" -> "기상청"."""
    return str(words["sources"].get(source, source))


def _first(words: _Words) -> Mapping[str, Any]:
    asked: list[Mapping[str, Any]] = words.answer.get("asked") or [{"missing": True}]
    return asked[0]


def _general(words: _Words) -> str:
    day = _first(words)
    if day.get("missing"):
        return words.say("missing")
    current = words.answer.get("current") or {}
    parts = []
    if words.answer.get("day", "today") == "today" and current.get("temperature") is not None:
        parts.append(
            words.say(
                "now",
                condition_and=words.condition(current.get("condition"), True),
                temperature=_num(current["temperature"]),
            )
        )
    parts.append(
        words.say(
            "day",
            sky=words.sky(day["condition"]),
            high=_num(day["high"]),
            low=_num(day["low"]),
        )
    )
    if day.get("rain_chance") is not None:
        parts.append(words.say("rain_chance", pop=day["rain_chance"]))
    return " ".join(parts)


WET = frozenset({"drizzle", "shower", "rain", "sleet", "snow", "flurries", "drizzle_snow", "thunderstorm"})


def _wet_now(words: _Words) -> str | None:
    """The condition of the current reading when asked about today and it is raining or snowing now: the
    one reading every answer agrees with ("지금 비 와?", "비 와?" and "우산 챙겨야 해?" alike)."""
    current = words.answer.get("current") or {}
    if words.answer.get("day", "today") == "today" and current.get("condition") in WET:
        return str(current["condition"])
    return None


def _chance(day: Mapping[str, Any], wet_now: str | None = None) -> tuple[str, int]:
    pop = int(day.get("rain_chance") or 0)
    wet = day.get("condition") in WET or wet_now is not None
    if pop >= RAIN_LIKELY or wet:
        return "yes", pop
    return ("maybe" if pop >= RAIN_POSSIBLE else "no"), pop


def _rain(words: _Words) -> str:
    day = _first(words)
    if day.get("missing"):
        return words.say("missing")
    now = _wet_now(words)
    verdict, pop = _chance(day, now)
    wet = words.s["wet"].get(now or day.get("condition", ""), words.s["wet"]["rain"])
    return words.say(f"rain_{verdict}", pop=pop, wet=wet)


def _umbrella(words: _Words) -> str:
    day = _first(words)
    if day.get("missing"):
        return words.say("missing")
    verdict, pop = _chance(day, _wet_now(words))
    return words.say(f"umbrella_{verdict}", pop=pop)


def _dust(words: _Words) -> str:
    air = words.answer.get("air")
    if not air:
        return words.say("dust_failed" if words.answer.get("air_stale") else "dust_none")
    grades = words.s["grades"]
    said = words.say(
        "dust",
        pm10=_num(air["pm10"]),
        pm25=_num(air["pm25"]),
        station=air["station"],
        measured_at=air["measured_at"],
        pm10_grade=grades.get(air["pm10_grade"], "?"),
        pm25_grade=grades.get(air["pm25_grade"], "?"),
    )
    if max(air.get("pm10_grade") or 0, air.get("pm25_grade") or 0) >= BAD_AIR:
        said += " " + words.say("dust_mask")
    return said


def _weekend(words: _Words) -> str:
    days = [d for d in words.answer.get("asked", []) if not d.get("missing")]
    if not days:
        return words.say("missing")
    said = [
        str(words.s["weekend_day"]).format(
            weekday=words.weekday(d),
            sky=words.sky(d["condition"]),
            low=_num(d["low"]),
            high=_num(d["high"]),
            pop=d.get("rain_chance") or 0,
        )
        for d in days
    ]
    return words.say("weekend", days=", ".join(said))


def _laundry(words: _Words) -> str:
    day = _first(words)
    if day.get("missing"):
        return words.say("missing")
    verdict, pop = _chance(day, _wet_now(words))
    current = words.answer.get("current") or {}
    humidity = current.get("humidity") if words.answer.get("day", "today") == "today" else None
    humidity = humidity if humidity is not None else day.get("humidity")
    air = words.answer.get("air") or {}
    if verdict == "yes":
        return words.say("laundry_rain", pop=pop)
    if (air.get("pm10_grade") or 0) >= BAD_AIR:
        return words.say("laundry_dust", pm10_grade=words.s["grades"][air["pm10_grade"]])
    if humidity is not None and humidity >= HUMID:
        return words.say("laundry_humid", humidity=_num(humidity))
    return words.say("laundry_good", pop=pop, humidity=_num(humidity))
