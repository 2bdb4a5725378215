"""Splitting a sentence into requests, and gathering what each one says: which devices, rooms and
kinds, which verb, property, value, and whether it is negated or a question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jibsa.domain import Device, DeviceType, Home
from jibsa.nlu.scanner import Token

_CONNECTIVE = re.compile(r"(?:고|고서|구|고나서|면서|며)$")
_NEGATIVE_TAIL = re.compile(r"지\s*마|지\s*말|지\s*않|면\s*안|지\s*맙|말고")
_STATE_TAIL = re.compile(r"^(?:져|졌|진|되어|돼|된|되|됐)|^(?:어|아)?있")
_ALSO = re.compile(r"^\s*(?:도|에도|까지|도\s)")
_ONLY = re.compile(r"^\s*(?:만|에만)")
_ALSO_OR_ONLY = re.compile(r"^\s*(?:도|만)")
# "거실 TV랑 불", "안방 가습기와 에어컨": a room said before things joined in a list is the room of each.
_JOINED = re.compile(r"^\s*(?:과|와|이랑|랑|하고|및|,|and\b)")
_ENGLISH_ALSO = re.compile(r"\b(?:too|also|as well)\b")
# An English request that opens like a question asks about state; it never acts ("what is left on the washer").
_ENGLISH_QUESTION = re.compile(
    r"(?:what|what's|whats|which|when|where|who|how|is|are|was|were|does|do|did|has|have|why)(?![a-z'])"
)


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """Devices of one kind (None: any kind) in some rooms (empty: not said), as said in one place."""

    kind: DeviceType | None
    rooms: tuple[str, ...]
    text: str
    all: bool = False


@dataclass
class Clause:
    """What one request in a sentence says. Built by `read_clause`; read by the grammar."""

    text: str
    tokens: list[Token]
    sentence: str = ""
    offset: int = 0
    devices: list[tuple[str, ...]] = field(default_factory=list)
    specs: list[TargetSpec] = field(default_factory=list)
    rooms: list[str] = field(default_factory=list)
    bare_rooms: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    also: bool = False
    verbs: list[tuple[str, Token]] = field(default_factory=list)
    numbers: list[tuple[float, str, str]] = field(default_factory=list)
    negated: bool = False
    state_question: bool = False
    question: bool = False
    all_said: bool = False  # "다", "전부", "모든" somewhere in the request
    last: bool = False  # the sentence's last request: its words run to the sentence's end ("turn on the study pen")

    def tagged(self, tag: str) -> list[Any]:
        return [value for token in self.tokens for t, value in token.entries if t == tag]

    def has(self, tag: str) -> bool:
        return any(token.has(tag) for token in self.tokens)

    def verb_names(self) -> list[str]:
        return [name for name, _ in self.verbs]

    @property
    def names_targets(self) -> bool:
        return bool(self.devices or self.specs or self.bare_rooms or self.has("ref"))


def split_clauses(tokens: list[Token]) -> list[list[Token]]:
    """Requests end at a conjunction (그리고, and), a verb with a connective ending (끄고, 켜주고), or a verb
    after which another target is named with a verb of its own."""
    clauses: list[list[Token]] = [[]]
    for i, token in enumerate(tokens):
        if token.has("conj") and not token.has("verb") and clauses[-1]:
            clauses.append([])
            continue
        if _starts_another_request(clauses[-1], token, tokens[i + 1 :]):
            clauses.append([])  # "큰방 불 켜 줘, 작은방 불 꺼 줘": a target after a verb, with a verb of its own
        clauses[-1].append(token)
        if token.has("neg") and token.text.endswith("고"):
            clauses.append([])
        if token.has("verb") and (_CONNECTIVE.search(token.tail.replace(" ", "")) or token.text.endswith("고")):
            clauses.append([])
    return [c for c in clauses if c]


def _starts_another_request(clause: list[Token], token: Token, rest: list[Token]) -> bool:
    """A Korean verb ends its request (verbs come last); an English one begins it."""
    if not clause or not clause[-1].has("verb") or token.has("verb") or not _HANGUL_WORD.search(clause[-1].text):
        return False
    if not (token.has("device") or token.has("room") or token.has("kind")) or token.has("shadow"):
        return False
    return any(t.has("verb") for t in rest)


def read_clause(tokens: list[Token], text: str, home: Home, floor: int = 0, *, last: bool = False) -> Clause:
    """Gather one request's parts (its text starts after the previous request's last word, `floor`; the
    `last` request of a sentence also owns the words after its last known one)."""
    end = tokens[-1].end
    clause = Clause(text[floor:end], tokens, text, floor, question="?" in text[floor : end + 8], last=last)
    clause.all_said = any(token.has("all") for token in tokens)
    if _ENGLISH_QUESTION.match(text[floor:end].lstrip(" ?")):
        clause.question = clause.state_question = True
    pending: list[str] = []
    joined: tuple[str, ...] = ()  # the rooms of the thing just said, when a list goes on after it
    for i, token in enumerate(tokens):
        after = text[token.end : token.end + 4]
        said = len(clause.specs), len(clause.devices), len(clause.rooms) - len(pending)
        if _read_target(clause, token, pending, home, after):
            rooms = _joined_rooms(clause, said, joined, home)
            joined = rooms if _JOINED.match(after) else ()
            continue
        _read_other(clause, token, tokens[i - 1] if i else None)
    clause.bare_rooms = [r for r in pending if r not in clause.bare_rooms]
    end = tokens[-1].end
    clause.also = clause.also or bool(_ENGLISH_ALSO.search(text[floor : end + 12]))
    if clause.bare_rooms and clause.specs and not any(s.rooms for s in clause.specs):
        clause.specs = [TargetSpec(s.kind, tuple(clause.bare_rooms), s.text, s.all) for s in clause.specs]
        clause.bare_rooms = []
    return clause


def _read_target(clause: Clause, token: Token, pending: list[str], home: Home, after: str) -> bool:
    devices = token.values("device")
    if devices and not token.has("shadow"):
        _add_device(clause, token, tuple(devices), pending, home)
        clause.also = clause.also or bool(_ALSO.match(after))  # "식기세척기도": the last request, for it
        return True
    rooms = token.values("room")
    if rooms:
        room = rooms[0]
        pending.append(room)
        clause.rooms.append(room)
        clause.also = clause.also or bool(_ALSO.match(after))
        return True
    if token.has("unknown_room"):
        clause.unknown.append(token.text)
        return True
    kinds = token.values("kind")
    if kinds and token.has("verb") and not clause.verbs:
        return False
    if kinds and not token.has("shadow") and not token.has("scene"):
        spec = TargetSpec(kinds[0], tuple(pending), token.text, clause.all_said)
        clause.specs.append(spec)
        pending.clear()
        return True
    if token.has("any") and pending and _ALSO_OR_ONLY.match(after):
        clause.also = True  # "거실 것도", "안방 거만": the last request's devices, in that room
        return True
    if token.has("any") and not token.has("verb") and not clause.specs and not clause.devices:
        clause.specs.append(TargetSpec(None, tuple(pending), token.text, clause.all_said))
        pending.clear()
        return True
    return False


def _joined_rooms(clause: Clause, said: tuple[int, int, int], joined: tuple[str, ...], home: Home) -> tuple[str, ...]:
    """The rooms of the target just read, which the next thing in the list takes when it says none (a spec
    without rooms read now gets `joined`, the rooms of the one before it)."""
    specs, devices, rooms_said = said
    if len(clause.specs) > specs:
        spec = clause.specs[-1]
        if not spec.rooms and joined:
            clause.specs[-1] = spec = TargetSpec(spec.kind, joined, spec.text, spec.all)
        return spec.rooms
    if len(clause.devices) > devices and len(clause.rooms) > rooms_said:  # a room said for it
        found = [d for i in clause.devices[-1] if (d := home.device(i)) is not None]
        rooms = tuple(dict.fromkeys(d.room for d in found if d.room))
        return rooms if len(rooms) == 1 else ()
    return joined


def _add_device(clause: Clause, token: Token, ids: tuple[str, ...], pending: list[str], home: Home) -> None:
    """A name with a room before it that the device is not in means its kind in that room ("안방 TV")."""
    found = [home.device(i) for i in ids]
    devices = [d for d in found if d is not None]
    own_room = _room_in_name(home, devices[0], token.text) if devices else None
    if own_room is not None:
        clause.rooms.append(own_room)
    if pending and devices and not any(d.room in pending for d in devices):
        rooms = (*pending, own_room) if own_room is not None else tuple(pending)
        clause.specs.append(TargetSpec(devices[0].type, rooms, token.text, clause.all_said))
    else:
        clause.devices.append(ids)
    pending.clear()


def _room_in_name(home: Home, device: Device, said: str) -> str | None:
    """The device's room when the words said for it include the room's name ("욕실 등")."""
    room = home.room(device.room) if device.room else None
    if room is None:
        return None
    said = "".join(said.split())
    return room.id if any("".join(n.lower().split()) in said for n in room.names) else None


def _read_other(clause: Clause, token: Token, previous: Token | None) -> None:
    for tag, value in token.entries:
        if tag == "verb":
            clause.verbs.append((value, token))
        elif tag == "number":
            clause.numbers.append(value)
    tail = token.tail.replace(" ", "")
    if token.has("verb") or token.has("state"):
        if _NEGATIVE_TAIL.search(tail):
            clause.negated = True
        is_state = token.has("state") and (not token.has("verb") or clause.question)
        if is_state or _STATE_TAIL.search(tail):
            clause.state_question = clause.state_question or is_state or not _NEGATIVE_TAIL.search(tail)
        if previous is not None and previous.has("neg_before") and previous.end >= token.start - 1:
            clause.negated = True
    if token.has("neg") and not token.has("verb"):
        clause.negated = True
    if token.has("verb") and _past_tense(token.text + token.tail) and (clause.question or "?" in token.tail):
        clause.state_question = True


def _past_tense(word: str) -> bool:
    """켰어, 껐어, 잠갔어, 닫았어: a final ㅆ marks the past ("did you ...?" asks about state)."""
    return any(0 <= ord(ch) - 0xAC00 < 11172 and (ord(ch) - 0xAC00) % 28 == 20 and ch not in "겠있없싶" for ch in word)


_HANGUL_WORD = re.compile(r"[가-힣]+")  # one syllable not understood ("블") is a word too
_PARTICLES = re.compile(r"(?:은|는|을|를|에|에서|의|도|만|이랑|랑|하고|에게|한테|까지|부터|쪽)$")
_ONLY_PARTICLES = re.compile(
    r"(?:으로|로|에서|에게|한테|께|이랑|랑|하고|과|와|이|가|은|는|을|를|에|의|도|만|요|까지|부터|들)+"
)


def unread_modifier(clause: Clause, fillers: frozenset[str]) -> str | None:
    """A word no list knows said right before a kind or a device ("펜트하우스 에어컨", "the pod bay doors"): it
    says which one, so reading the kind without it would widen the request. None when there is no such word."""
    unread = set(unread_words(clause, fillers))
    for token in clause.tokens:
        if not (token.has("kind") or token.has("device")) or token.has("shadow") or token.start <= clause.offset:
            continue
        before = clause.sentence[clause.offset : token.start].rstrip()
        last = before.split()[-1] if before.split() else ""
        word = _PARTICLES.sub("", last) if len(last) > 2 else last
        if len(word) >= 2 and word in unread:  # "이 방 불": 방 alone is this room
            return word
    return None


def unread_words(clause: Clause, fillers: frozenset[str]) -> list[str]:
    """Words of the request no list knows, particles and fillers aside ("거실 스팀다리미 꺼줘" -> 스팀다리미)."""
    covered = [False] * len(clause.sentence)
    for token in clause.tokens:
        if token.tags() == {"shadow"}:
            continue  # a word that only hides a device word is not understood
        for i in range(token.start, min(token.end, len(covered))):
            covered[i] = True
    start = clause.offset
    final = clause.tokens[-1]  # English words after the last known one are unread ("turn on the study pen")
    trailing = clause.last and not final.has("verb") and clause.sentence[final.end :].isascii()
    end = len(clause.sentence) if trailing else final.end
    chars = [ch if not covered[i] else " " for i, ch in enumerate(clause.sentence[start:end], start)]
    words = []
    for chunk in "".join(chars).split():
        if _ONLY_PARTICLES.fullmatch(chunk):
            continue
        word = _PARTICLES.sub("", chunk) if len(chunk) > 2 else chunk
        if (len(word) >= 2 or _HANGUL_WORD.fullmatch(word)) and word not in fillers and re.search(r"[가-힣a-z]", word):
            words.append(word)
    return words
