"""Finding known words in a sentence: the home's names and the lexicon's words, longest first,
ignoring spaces ("거실불꺼줘" reads as 거실 불 꺼 줘), with numbers read as they come."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jibsa.nlu.numbers import NUMBER_PATTERN, is_native, parse_number

Entry = tuple[str, Any]  # (tag, value): ("device", "living_tv"), ("verb", "turn_on"), ...

# Tags whose words name something in the home; they end a verb's ending run.
CONTENT_TAGS = frozenset({"device", "room", "scene", "kind", "unknown_room", "any", "ref", "prop", "value",
                          "extreme", "conj", "weather", "timer", "list", "city", "measure", "feeling",
                          "time", "date", "day", "all"})  # fmt: skip
_NUMBER_AT = re.compile(
    rf"(?P<num>{NUMBER_PATTERN})\s*(?P<unit>도|%|퍼센트|프로|percent|degrees?|단계|단|번|칸|레벨|level|분|초|시간)?"
    r"\s*(?P<to>으로|로|까지|만큼)?"
)
_ENDING_CHARS = frozenset(
    "주줘줄줍놨뒀드세요시겠어아봐보놔놓둬두라고구지마말져졌있니나까래게면서야"
    "해했돼되다잖네죠는데습십쇼렴자용염든냐던된될됐쯤요랑하 "
)
_HANGUL = re.compile(r"[가-힣]")
_PARTICLE_AFTER = re.compile(r"(?:도|만|를|은|는|랑|이랑|이|가|에|의|들|로|하고)(?![가-힣])")
_WORD_START = "^"  # a trie node's entries that hold only at the start of a word
_CAUSATIVE = "시켜"  # "오프 시켜 줘", "정지시켜": the ending of the verb before, not 켜
_ENGLISH_TO = re.compile(r"(?<![a-z])to $")


@dataclass(frozen=True, slots=True)
class Token:
    """One word found: where it is, its text, what it can mean, and the verb ending that follows it."""

    start: int
    end: int
    text: str
    entries: tuple[Entry, ...]
    tail: str = ""
    _tags: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tags", frozenset(tag for tag, _ in self.entries))  # asked for on every read

    def tags(self) -> frozenset[str]:
        return self._tags

    def values(self, tag: str) -> list[Any]:
        return [value for t, value in self.entries if t == tag]

    def has(self, tag: str) -> bool:
        return tag in self._tags


@dataclass
class Gazetteer:
    """A character trie over space-free keys. Built once per home; read-only afterwards."""

    root: dict[str, Any] = field(default_factory=dict)

    def add(self, key: str, entry: Entry, *, word_start: bool = False) -> None:
        """`word_start`: the entry holds only where a word starts (konglish 온 is not the end of 다녀온)."""
        key = "".join(key.split())
        if not key:
            return
        node = self.root
        for ch in key:
            node = node.setdefault(ch, {})
        entries: list[Entry] = node.setdefault(_WORD_START if word_start else "", [])
        if entry not in entries:
            entries.append(entry)

    def add_all(self, words: Iterable[str], entry: Entry) -> None:
        for word in words:
            self.add(word, entry)

    def longest(self, text: str, start: int) -> tuple[int, tuple[Entry, ...]] | None:
        """The longest key starting at `start` (spaces in `text` skipped): its end and entries."""
        found = self.prefixes(text, start)
        return found[-1] if found else None

    def prefixes(self, text: str, start: int) -> list[tuple[int, tuple[Entry, ...]]]:
        """Every key starting at `start`, shortest first: (end, entries)."""
        node, out, i = self.root, [], start
        at_word = start == 0 or not text[start - 1].isalnum()
        spaced = False  # a key read across a space must start a word: "제습기 온" holds no "기온"
        while i < len(text):
            ch = text[i]
            if ch == " ":
                i += 1
                spaced = spaced or node is not self.root
                continue
            nxt = node.get(ch)
            if nxt is None or (spaced and not at_word):
                break
            node, i = nxt, i + 1
            entries = [*node.get("", ()), *(node.get(_WORD_START, ()) if at_word else ())]
            if entries and _ascii_boundary(text, start, i):
                out.append((i, tuple(entries)))
        return out


def _ascii_boundary(text: str, start: int, end: int) -> bool:
    """English words match whole words only ("on" is not inside "bedroom")."""
    if (
        text[start].isascii()
        and text[start].isalpha()
        and start > 0
        and text[start - 1].isascii()
        and text[start - 1].isalnum()
    ):
        return False
    return not (
        text[end - 1].isascii()
        and text[end - 1].isalpha()
        and end < len(text)
        and text[end].isascii()
        and text[end].isalnum()
    )


def scan(text: str, gazetteer: Gazetteer) -> list[Token]:
    """The known words of normalised `text`, left to right; unknown characters are skipped."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        if text[i] == " ":
            i += 1
            continue
        number = _number_at(text, i, tokens)
        found = _best_match(text, i, gazetteer)
        if number is not None and (found is None or number.end >= found[0]):
            tokens.append(number)
            i = number.end
            continue
        if found is None:
            i += 1
            continue
        end, entries = found
        if _inside_word(text, i, end, entries):
            i += 1
            continue
        token = Token(i, end, text[i:end], entries)
        split = _split_room_kind(token, text, gazetteer) if tokens and tokens[-1].has("all") else None
        if split is not None:
            tokens.append(split)
            i = split.end
            continue
        if any(tag in ("verb", "state") for tag, _ in entries):
            tail_end = _tail_end(text, end, gazetteer)
            token = Token(i, tail_end, text[i:end], entries, text[end:tail_end].strip())
            end = tail_end
        tokens.append(token)
        i = end
    return tokens


def _inside_word(text: str, start: int, end: int, entries: tuple[Entry, ...]) -> bool:
    """ "거", "것" mean "any device" only as words of their own ("거실 거도", "그 거 켜"), never as a
    piece of a word not understood ("거싷", "스피거"): such a piece would widen the request to a room."""
    if any(tag != "any" for tag, _ in entries):
        return False
    before = start > 0 and bool(_HANGUL.match(text[start - 1]))
    after = end < len(text) and bool(_HANGUL.match(text[end])) and not _PARTICLE_AFTER.match(text, end)
    return before or after


def _best_match(text: str, i: int, gazetteer: Gazetteer) -> tuple[int, tuple[Entry, ...]] | None:
    """The match at `i` that lets the next word reach furthest: "주방창문" is 주방 + 창문, not 주방 창 + 문."""
    candidates = gazetteer.prefixes(text, i)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None

    def score(candidate: tuple[int, tuple[Entry, ...]]) -> tuple[int, int, int]:
        end = candidate[0]
        following = next(
            (f for f in reversed(gazetteer.prefixes(text, end)) if any(tag != "shadow" for tag, _ in f[1])), None
        )
        reach = following[0] if following is not None else end
        second = len(text[end:reach].replace(" ", ""))
        first = len(text[i:end].replace(" ", ""))
        return reach, min(first, second) if second else first, first

    return max(candidates, key=score)


def _split_room_kind(token: Token, text: str, gazetteer: Gazetteer) -> Token | None:
    """After "모든", a device named "거실 조명" reads as the room and the kind (rule 4): returns the room."""
    if not token.has("device"):
        return None
    for end, entries in gazetteer.prefixes(text, token.start):
        rooms = [e for e in entries if e[0] == "room"]
        rest = gazetteer.longest(text, end)
        if (
            rooms
            and end < token.end
            and rest is not None
            and rest[0] == token.end
            and any(t == "kind" for t, _ in rest[1])
        ):
            return Token(token.start, end, text[token.start : end], tuple(rooms))
    return None


def _number_at(text: str, i: int, tokens: list[Token]) -> Token | None:
    match = _NUMBER_AT.match(text, i)
    if match is None:
        return None
    word, unit, to = match.group("num"), match.group("unit") or "", match.group("to") or ""
    to = to or ("to" if _ENGLISH_TO.search(text, max(0, i - 4), i) else "")  # "set it to twenty three"
    digits = word[0].isdigit()
    if not digits and not unit and not to and not (tokens and tokens[-1].has("prop")):
        return None
    # A Korean number word must start a word (or follow a name): "이" in "안방이" is not two.
    if not digits and i > 0 and _HANGUL.match(text[i - 1]) and not (tokens and tokens[-1].end == i):
        return None
    value = parse_number(word)
    if value is None:
        return None
    counted = unit == "번" and is_native(word) and not text.startswith("째", match.end("unit"))
    if counted and not (tokens and tokens[-1].has("prop")):
        # "한 번 더", "두 번": how many times, read and set aside; not channel 1 or 2 ("채널 두 번" and "세 번째"
        # still name one)
        return Token(i, match.end("unit"), text[i : match.end("unit")], (("times", value),))
    return Token(i, match.end(), match.group(0), (("number", (value, unit, to)),))


def _tail_end(text: str, end: int, gazetteer: Gazetteer) -> int:
    """Where the ending after a verb stops (줘, 줄래?, 주시겠어요, 고 ...): at the next real word."""
    j = end
    while j < len(text) and (text[j] in _ENDING_CHARS or text[j] == "?"):
        if text.startswith(_CAUSATIVE, j):
            j += len(_CAUSATIVE)
            continue
        found = gazetteer.longest(text, j) if text[j] != " " else None
        if found is not None and found[0] - j >= 2 and any(t in CONTENT_TAGS for t, _ in found[1]):
            break
        j += 1
    return j
