"""The facts a reply names, worded: devices ("거실 천장등과 거실 스탠드", "불 5개", "거실 불을 모두", "모든 불의"),
a property, a value with its unit, a sensor's readings, the options of a question, when a promise is for.

A field of a `Said` that is a mapping with "what" is one of these (`jibsa.nlu.naming` makes them); the catalogue
words it here, in the language asked for, with the particle its placeholder names (`{targets|을}`). Words not
in the catalogue (a property or a value it does not list) are said as they are."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jibsa.domain import korean
from jibsa.domain.korean import number_text
from jibsa.words import english

Fill = Callable[[str, Mapping[str, Any]], str]  # a sentence of the catalogue with its fields filled in
LABEL = "label"  # a placeholder's `how` for a name that stands alone: "{device|label}"
_SAID_BY_VALUE = frozenset({"temperature", "current_temperature", "mode"})  # "24도, 냉방 모드": no name needed


class Phrases:
    """The phrases of one language: `table` is its sentences by dotted key, `fill` fills one in."""

    def __init__(self, lang: str, table: Mapping[str, str], fill: Fill, *, labels: bool = False) -> None:
        self.lang = lang
        self.table = table
        self.fill = fill
        self.names = "reply.label" if labels else "reply"  # where the names' wordings are: "the floor lamp"

    def worded(self, fact: Mapping[str, Any], how: str | None) -> str:
        """`fact` in words, with the particle `how` (Korean only) where the phrase puts it."""
        what = str(fact["what"])
        if what == "every":
            return self._every(fact, how)
        if how == LABEL:  # a name standing alone, as a table's cell or a line's head: "floor lamp"
            return _SAYERS[what](Phrases(self.lang, self.table, self.fill, labels=True), fact)
        text = _SAYERS[what](self, fact)
        return self.particle(text, how)

    def particle(self, text: str, how: str | None) -> str:
        return korean.josa(text, how) if how and self.lang == "ko" else text

    def word(self, of: str, name: Any) -> str:
        """The catalogue's word for `name` in table `of` ('reply.properties'), else `name` as it is."""
        found = self.table.get(f"{of}.{name}")
        return found if found is not None else str(name).replace("_", " ")

    def kind(self, name: str) -> str:
        """What a reply calls devices of kind `name` (domain/kind_names.yaml: 불, lights); "device": of several."""
        return self.word("reply.kinds", name)

    def one(self, name: str) -> str:
        """What a reply calls one device of kind `name` ("에어컨", "air conditioner": the page's name)."""
        return self.kind(name) if self.lang == "ko" else english.common_noun(self.word("page.types", name))

    def room_name(self, name: str, aliases: Iterable[str]) -> str:
        """A room as this language names it: in English, its first alias in English letters ("the living
        room"), else `name` ("거실")."""
        english = english_alias(aliases) if self.lang == "en" else None
        return self.say(f"{self.names}.room_named", room=english) if english else name

    def device_name(self, name: str, parts: Mapping[str, Any]) -> str:
        """A device as this language names it: in English, its first alias in English letters ("the floor
        lamp"), else its room's English name and its kind ("the living room air conditioner"), else `name`
        ("거실 에어컨"); `parts` are what `jibsa.nlu.naming` gives for it."""
        if self.lang != "en":
            return name
        alias = english_alias(parts.get("aliases", ()))
        if alias is not None:  # "floor lamp" is said "the floor lamp"; "Hue Go" or "the big lamp" as it is
            return self.say(f"{self.names}.device_named", name=alias) if _common(alias) else alias
        room = english_alias(parts.get("room_aliases", ()))
        if room is not None:
            return self.say(f"{self.names}.device_in_room", room=room, kind=self.one(str(parts["kind"])))
        return name

    def say(self, key: str, **fields: Any) -> str:
        return self.fill(self.table[key], fields)

    def value(self, prop: str, value: Any) -> str:
        """24 -> "24도" (the unit of `prop`), True -> "켬", "warm_white" -> "전구색"."""
        if isinstance(value, bool):
            return self.table[f"reply.switch.{'on' if value else 'off'}"]
        if isinstance(value, (int, float)):
            unit = self.table.get(f"reply.units.{prop}")
            return self.fill(unit, {"n": number_text(value)}) if unit else number_text(value)
        return self.word("reply.values", value)

    def _every(self, fact: Mapping[str, Any], how: str | None) -> str:
        """Every device of a kind (in a room): "불을 모두", "모든 거실 불의", "all the lights in the living room"."""
        kind = self.kind(str(fact["kind"]))
        room = fact.get("room")
        room = self.room_name(str(room), fact.get("room_aliases", ())) if room else None
        every = self.say("reply.in_room", room=room, kind=kind) if room else kind
        if how == "의":
            return self.say("reply.every_of", every=self.particle(every, how))
        return self.say("reply.every", every=self.particle(every, how))


def english_alias(aliases: Iterable[str]) -> str | None:
    """The first of `aliases` in English letters: a room's or a device's name in English ("living room")."""
    return next((alias for alias in aliases if alias.isascii()), None)


def _common(alias: str) -> bool:
    """Whether an English alias is a common noun that takes "the" ("floor lamp"), not a name ("Hue Go")."""
    return alias[:1].islower() and not alias.lower().startswith("the ")


def _devices(p: Phrases, fact: Mapping[str, Any]) -> str:
    names = [str(n) for n in fact["names"]]
    if p.lang == "ko":
        return korean.join_names(names)
    parts = fact.get("english") or [{} for _ in names]
    return english.join_names([p.device_name(n, e) for n, e in zip(names, parts, strict=True)])


def _scene(p: Phrases, fact: Mapping[str, Any]) -> str:
    """A scene: "외출 모드"; in English, its English name when the home file gives one ("away mode")."""
    english_name = fact.get("english") if p.lang == "en" else None
    return str(english_name or fact["name"])


def _room(p: Phrases, fact: Mapping[str, Any]) -> str:
    return p.room_name(str(fact["room"]), fact.get("room_aliases", ()))


def _counted(p: Phrases, fact: Mapping[str, Any]) -> str:
    return p.say("reply.counted", kind=p.kind(str(fact["kind"])), count=fact["count"])


def _kind(p: Phrases, fact: Mapping[str, Any]) -> str:
    return p.kind(str(fact["kind"]))


def _word(p: Phrases, fact: Mapping[str, Any]) -> str:
    return p.word(str(fact["of"]), fact["name"])


def _value(p: Phrases, fact: Mapping[str, Any]) -> str:
    return p.value(str(fact.get("property", "")), fact["value"])


def _readings(p: Phrases, fact: Mapping[str, Any]) -> str:
    """A sensor's readings: "24.5도, 습도 40%", "움직임 감지됨" (a temperature or a mode needs no name)."""
    said = []
    for prop, value in fact["items"]:
        name = p.word("reply.properties", prop)
        if isinstance(value, bool):
            key = f"reply.reading.{'detected' if value else 'absent'}"
            key = f"{key}_{prop}" if f"{key}_{prop}" in p.table else key  # "문 닫힘", not "문 열림 없음"
            said.append(p.say(key, prop=name))
        elif prop in _SAID_BY_VALUE:
            said.append(p.value(prop, value))
        else:
            said.append(p.say("reply.reading.measure", prop=name, value=p.value(prop, value)))
    return p.table["reply.readings_joined"].join(said)


def _options(p: Phrases, fact: Mapping[str, Any]) -> str:
    """ "거실 에어컨이요, 안방 에어컨이요" / "the air conditioner in the living room or the air conditioner in the
    master bedroom": each option names the kind with the room (in English, the room's English name when the
    home gives it one)."""
    said = []
    for item in fact["items"]:
        option = str(item.get("room") or item.get("name"))
        if "room" in item:
            room = p.room_name(option, item.get("aliases", ()))
            option = p.say("reply.one_in_room", room=room, kind=p.one(str(item["kind"])))
        said.append(p.say("reply.option", option=option))
    return p.table["reply.options_joined"].join(said)


def _when(p: Phrases, fact: Mapping[str, Any]) -> str:
    """When a promise is for: "매일 저녁 7시에", "30분 뒤에"."""
    parts: list[str] = []
    if fact.get("repeat"):
        parts.append(p.word("reply.repeat", fact["repeat"]))
    if fact.get("at"):
        parts.append(p.say("reply.at", at=fact["at"]))
    if fact.get("delay_s"):
        parts.append(p.say("reply.after", delay=fact["delay_s"]))
    return " ".join(parts)


_SAYERS: dict[str, Callable[[Phrases, Mapping[str, Any]], str]] = {
    "devices": _devices,
    "scene": _scene,
    "room": _room,
    "counted": _counted,
    "kind": _kind,
    "word": _word,
    "value": _value,
    "readings": _readings,
    "options": _options,
    "when": _when,
}


def is_phrase(value: Any) -> bool:
    """Whether a field's value is a fact this module words."""
    return isinstance(value, Mapping) and value.get("what") in (*_SAYERS, "every")
