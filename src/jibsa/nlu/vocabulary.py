"""The words one home's parser knows: the home's own names first, then the lexicon's."""

from __future__ import annotations

import re

from jibsa.domain import Home
from jibsa.nlu.lexicon import Lexicon
from jibsa.nlu.normalise import compact, normalise
from jibsa.nlu.scanner import Gazetteer

_FLOOR_WORDS = ("", "일", "이", "삼", "사", "오")
_FLOOR = re.compile(r"(?<!\d)([1-5])층")
_FLOOR_WORD = re.compile(r"(?<![가-힣])([일이삼사오])층")
_PLURAL = re.compile(r"\b([a-z]{2,})s\b")
# Sections of the lexicon that are plain word lists, and the tag each gets.
_LISTS = {
    "any_device": "any", "all_words": "all", "shadows": "shadow", "query_words": "query", "cancel": "cancel",
    "negation": "neg", "negation_before": "neg_before", "conjunctions": "conj", "jobs_words": "jobs",
    "home_status_words": "home_status", "state_which": "which",
    "references": "ref", "time_words": "time", "date_words": "date", "more_words": "more",
}  # fmt: skip
# Sections that map a name to words.
_GROUPS = {"verbs": "verb", "states": "state", "state_values": "state_is", "properties": "prop", "extremes": "extreme",
           "measures": "measure", "cities": "city", "smalltalk": "smalltalk"}  # fmt: skip


def build_gazetteer(home: Home, lexicon: Lexicon) -> Gazetteer:
    """A trie of every word this home's parser knows; the home's names need no training."""
    gaz = Gazetteer()
    home_keys: set[str] = set()
    for device in home.devices:
        for name in _spellings(device.names):
            gaz.add(normalise(name), ("device", device.id))
            home_keys.add(compact(normalise(name)))
    _add_lexicon(gaz, lexicon)
    for key, device_id in _short_names(home, lexicon, home_keys).items():
        if not gaz.prefixes(key, 0) or gaz.prefixes(key, 0)[-1][0] != len(key):
            gaz.add(key, ("device", device_id))
    for room in home.rooms:
        for name in _spellings(room.names):
            gaz.add(normalise(name), ("room", room.id))
            home_keys.add(compact(normalise(name)))
    for short, room_id in _short_room_names(home, lexicon, home_keys).items():
        gaz.add(short, ("room", room_id))
        home_keys.add(short)
    _add_scenes(gaz, home, lexicon)
    for words in lexicon.room_words.values():
        same = _home_room_for(home, words)
        for word in words:
            if compact(normalise(word)) in home_keys:
                continue
            gaz.add(normalise(word), ("room", same) if same else ("unknown_room", word))
    return gaz


def _spellings(names: tuple[str, ...]) -> list[str]:
    """Names as a recogniser may write them: a floor both ways ("2층 화장실", "이층 화장실"), and an English
    word ending in s as a possessive too ("kids room", "kid's room", "kids' room")."""
    out = list(names)
    for name in names:
        spelled = _FLOOR.sub(lambda m: _FLOOR_WORDS[int(m.group(1))] + "층", name)
        digits = _FLOOR_WORD.sub(lambda m: str(_FLOOR_WORDS.index(m.group(1))) + "층", name)
        possessives = (_PLURAL.sub(r"\1's", name.lower()), _PLURAL.sub(r"\1s'", name.lower()))
        out += [n for n in (spelled, digits, *possessives) if n not in (name, name.lower())]
    return out


def _add_scenes(gaz: Gazetteer, home: Home, lexicon: Lexicon) -> None:
    for scene in home.scenes:
        for name in scene.names:
            gaz.add(normalise(name), ("scene", scene.id))
            for suffix in lexicon.words("scene_suffixes"):
                if not normalise(name).endswith(suffix):
                    gaz.add(normalise(f"{name} {suffix}"), ("scene", scene.id))
        for word in _scene_greetings(scene.names, lexicon):
            gaz.add(normalise(word), ("scene", scene.id))
            gaz.add(normalise(word), ("greeting", scene.id))


def _scene_greetings(names: tuple[str, ...], lexicon: Lexicon) -> list[str]:
    """The greetings of every family one of a scene's names belongs to ("다녀올게" brings "다녀오겠습니다")."""
    said = {compact(normalise(n)) for n in names}
    words: list[str] = []
    for family in lexicon.groups("greetings").values():
        if said & {compact(normalise(w)) for w in family}:
            words += family
    return words


def _short_names(home: Home, lexicon: Lexicon, taken: set[str]) -> dict[str, str]:
    """Shorter names people use: "천장등" for "거실 천장등", "제트봇" for "비스포크 제트봇" — when only one
    device could be meant and the short name is not just a kind of device."""
    kind_words = {compact(normalise(w)) for words in lexicon.kinds.values() for w in words}
    room_words = {compact(normalise(n)) for r in home.rooms for n in r.names}
    # the last word of a room's name ("방" of "할머니 방"): a short name starting with it is half a room
    # name and a kind ("방 TV"), which "이 방 TV" says of another room
    room_tails = {normalise(n).split()[-1] for r in home.rooms for n in r.names if len(normalise(n).split()) > 1}
    found: dict[str, set[str]] = {}
    for device in home.devices:
        for name in device.names:
            words = normalise(name).split()
            if len(words) < 2:
                continue
            shorts = {words[-1]} if words[1] in room_tails else {compact(" ".join(words[1:])), words[-1]}
            for short in shorts:
                if len(short) >= 2 and short not in kind_words and short not in room_words and short not in taken:
                    found.setdefault(short, set()).add(device.id)
    return {short: ids.pop() for short, ids in found.items() if len(ids) == 1}


def _short_room_names(home: Home, lexicon: Lexicon, taken: set[str]) -> dict[str, str]:
    """ "거실" for a room named "1층 거실": the last word of a room's name, when no other room has it."""
    kind_words = {compact(normalise(w)) for words in lexicon.kinds.values() for w in words}
    found: dict[str, set[str]] = {}
    for room in home.rooms:
        for name in room.names:
            words = normalise(name).split()
            if len(words) >= 2 and len(words[-1]) >= 2 and words[-1] not in kind_words | taken:
                found.setdefault(words[-1], set()).add(room.id)
    return {short: ids.pop() for short, ids in found.items() if len(ids) == 1}


def _home_room_for(home: Home, words: tuple[str, ...]) -> str | None:
    """The one room of the home named by a word of this synonym group ("부엌" for a home's "주방")."""
    keys = {compact(normalise(w)) for w in words}
    found = {r.id for r in home.rooms for n in r.names if compact(normalise(n)) in keys}
    return found.pop() if len(found) == 1 else None


def _add_feelings(gaz: Gazetteer, lexicon: Lexicon) -> None:
    for feeling in lexicon.feelings:  # where a word starts: 탁해 is not the end of 부탁해
        for word in feeling.words:
            gaz.add(normalise(word), ("feeling", feeling.name), word_start=True)


def _add_lexicon(gaz: Gazetteer, lexicon: Lexicon) -> None:
    for kind, words in lexicon.kinds.items():
        gaz.add_all((normalise(w) for w in words), ("kind", kind))
    for section, tag in _LISTS.items():
        gaz.add_all((normalise(w) for w in lexicon.words(section)), (tag, None))
    for section, tag in _GROUPS.items():
        for name, words in lexicon.groups(section).items():
            gaz.add_all((normalise(w) for w in words), (tag, name))
    for family, words in lexicon.groups("greetings").items():  # small talk where no scene has them
        gaz.add_all((normalise(w) for w in words), ("smalltalk", family))
    for name, words in lexicon.groups("konglish_verbs").items():
        for word in words:
            gaz.add(normalise(word), ("verb", name), word_start=True)
    for prop, choices in lexicon.section("values").items():
        for canonical, words in choices.items():
            value: object = {"true": True, "false": False}.get(str(canonical), str(canonical))
            gaz.add_all((normalise(str(w)) for w in words), ("value", (str(prop), value)))
    _add_feelings(gaz, lexicon)
    weather = lexicon.section("weather")
    gaz.add_all((normalise(str(w)) for w in weather["words"]), ("weather", None))
    for day, words in weather["days"].items():
        gaz.add_all((normalise(str(w)) for w in words), ("day", str(day)))
    timer = lexicon.section("timer")
    gaz.add_all((normalise(str(w)) for w in timer["words"]), ("timer", None))
    for part in ("cancel", "query", "set"):
        gaz.add_all((normalise(str(w)) for w in timer[part]), ("timer_" + part, None))
    lists = lexicon.section("list")
    gaz.add_all((normalise(str(w)) for w in lists["words"]), ("list", "shopping"))
    gaz.add_all((normalise(str(w)) for w in lists["todo"]), ("list", "todo"))
    gaz.add_all((normalise(str(w)) for w in lists["add"]), ("list_add", None))
