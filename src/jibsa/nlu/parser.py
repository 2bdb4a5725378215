"""`Parser`: one home's understanding of what people say, with memory per session."""

from __future__ import annotations

import copy
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib.metadata import entry_points
from typing import Any, Protocol

from jibsa.domain import Command, Device, Home, needs_confirmation
from jibsa.domain.intents import BUILTIN_INTENTS, IntentRegistry
from jibsa.domain.said import Said
from jibsa.nlu.choice import PendingChoice, picked
from jibsa.nlu.clause import Clause, read_clause, split_clauses
from jibsa.nlu.condition import acts, find_condition, holding
from jibsa.nlu.feelings import StateReader
from jibsa.nlu.intents import interpret, previous_of
from jibsa.nlu.lexicon import load_lexicon
from jibsa.nlu.normalise import MAX_CHARS, looks_english, normalise
from jibsa.nlu.phrases import PhraseBook, PhraseRule
from jibsa.nlu.replies import choice_question, promise, refusal, slip_note
from jibsa.nlu.scanner import Token, scan
from jibsa.nlu.slips import Slip, SlipReader
from jibsa.nlu.targets import Context
from jibsa.nlu.timing import find_timing
from jibsa.nlu.understood import Interpretation, Previous
from jibsa.nlu.vocabulary import build_gazetteer

log = logging.getLogger(__name__)
MAX_SESSIONS = 1000
READER_GROUP = "jibsa.sentences"  # readers of other kinds of sentence, by entry point (jibsa's own: rules)
_TIMED = BUILTIN_INTENTS.names(timeable=True)  # what "30분 뒤에" may be added to
# Tags that make a clause ask for something; a clause with none only names targets for the next one.
_ASKING = frozenset({"verb", "number", "value", "extreme", "prop", "query", "state", "feeling", "measure", "scene",
                     "cancel", "weather", "time", "date", "timer", "list", "neg", "smalltalk", "ref", "jobs",
                     "home_status"})  # fmt: skip


@dataclass(frozen=True)
class Understanding:
    """What a request means: the commands, the reply promised before acting (as facts, `said`: keys of the
    words catalogue and their fields, worded by `jibsa.words.replies` in the reader's language), and what was
    not found.

    The reply is made only when asked for (`said`): a conversation that carries the commands out says
    what happened instead, and need not make the promise too."""

    text: str
    commands: tuple[Command, ...]
    saying: Callable[[], Sequence[Said]] = field(compare=False, repr=False)
    needs_confirmation: bool = False
    language: str = "ko"
    not_found: tuple[str, ...] = ()
    error: str | None = None  # why the request was refused: unknown_room, too_long
    needs_choice: tuple[str, ...] = ()  # the devices the reply asks the person to choose among
    note: Said | None = None  # said before what was done: a slip read as a word ("'블'을 '불'로 알아들었어요.")

    @cached_property
    def said(self) -> tuple[Said, ...]:
        """The reply, sentence by sentence, as facts."""
        return tuple(self.saying())

    def to_json(self) -> dict[str, Any]:
        """The facts of the line object of `jibsa parse` (contract section 5): `said` where the line has its
        `reply`, the error's `said` where it has its messages (`jibsa.words.replies.understood_json` words them)."""
        out: dict[str, Any] = {
            "text": self.text,
            "commands": [c.to_dict() for c in self.commands],
            "said": [s.to_json() for s in self.said],
            "needs_confirmation": self.needs_confirmation,
        }
        if self.needs_choice:
            out["needs_choice"] = list(self.needs_choice)
        if self.error is not None:
            out["error"] = {"code": self.error, "said": refusal(self.error).to_json()}
        return out


class SentenceReader(Protocol):
    """A kind of sentence read before the parser's own requests (rules: "세탁 끝나면 알려줘"). `said` is
    `text` as the parser reads it (normalised; lower case in English); `parser` finds devices and
    commands in parts of it; `speaker` is the person saying it, when known ("내가 집에 오면" is about them).
    None: not one of its sentences."""

    def read(
        self, text: str, said: str, language: str, parser: Parser, *, speaker: str | None = None
    ) -> Understanding | None: ...


@dataclass(frozen=True)
class _Session:
    previous: Previous | None = None
    choice: PendingChoice | None = None


@dataclass
class _Result:
    commands: list[Command] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    why: list[Interpretation] = field(default_factory=list)  # outcomes that did nothing, with their reason
    choices: list[Device] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # words no list knows, which may be slips


@cache
def installed_readers() -> tuple[SentenceReader, ...]:
    """The readers installed under the entry point group `jibsa.sentences` (jibsa's own reads rule
    sentences: `jibsa.rules.grammar`); one that cannot load is logged and left out."""
    found: list[SentenceReader] = []
    for point in sorted(entry_points(group=READER_GROUP), key=lambda p: p.name):
        try:
            found.append(point.load()())
        except Exception:  # a broken partner package must not stop the parser
            log.exception("sentence reader %r could not be loaded", point.name)
    return tuple(found)


class Parser:
    """Built once per home; `parse` is a pure function of the text, the room and the session's past.
    `readers` read other kinds of sentence first (the installed ones unless given: rule sentences);
    then the phrases of the `intents` that bring their own (an intent from another package); then the
    grammar."""

    def __init__(
        self,
        home: Home,
        language: str = "ko",
        *,
        readers: Sequence[SentenceReader] | None = None,
        intents: IntentRegistry = BUILTIN_INTENTS,
    ) -> None:
        self.home = home
        self.language = language
        self.readers = tuple(installed_readers() if readers is None else readers)
        self.intents = intents
        phrased = [PhraseRule(s.name, s.phrases) for s in intents if s.phrases]
        self._phrases = PhraseBook(phrased, {}) if phrased else None
        self._lexicon = load_lexicon()
        self._gazetteer = build_gazetteer(home, self._lexicon)
        self._slips = SlipReader.for_home(home, self._lexicon)
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._narrow = frozenset("".join(normalise(w).split()) for w in self._lexicon.words("narrow_kinds"))
        self._fillers = frozenset(normalise(w) for w in self._lexicon.words("fillers"))

    def with_home(self, home: Home) -> Parser:
        """A parser of `home` (devices discovered or removed since) that goes on with this one's
        sessions: a follow-up ("안방도", "그거 꺼줘") still refers to what was said before."""
        parser = Parser(home, self.language, readers=self.readers, intents=self.intents)
        parser._sessions = self._sessions
        return parser

    def twin(self, home: Home) -> Parser:
        """A parser of `home`, a home with this parser's rooms, devices and scenes under another id (many
        homes made from one home file): it shares what was built from them and keeps its own sessions."""
        if (home.rooms, home.devices, home.scenes, home.language) != (
            self.home.rooms,
            self.home.devices,
            self.home.scenes,
            self.home.language,
        ):
            raise ValueError(f"home {home.id!r} is not a twin of {self.home.id!r}")
        parser = copy.copy(self)
        parser.home = home
        parser._sessions = OrderedDict()
        return parser

    def parse(
        self,
        text: str,
        room: str | None = None,
        session: str | None = None,
        *,
        state: StateReader | None = None,
        speaker: str | None = None,
    ) -> Understanding:
        """Understand one request said in `room` (a room id), continuing `session` when given. `state`: the
        devices' state now, when the caller knows it; a feeling ("너무 추워") is then read against it.
        `speaker`: the person saying it, when known; "내가 집에 오면 …" makes a rule about them.

        The one way out: a sentence with a condition ("해 지면 …", "if it rains …") or a question about the
        past ("28도 넘었어?") never leaves with a command that acts now (`jibsa.nlu.condition`)."""
        language = "en" if looks_english(text) else self.language
        normalised = normalise(text) if len(text) <= MAX_CHARS * 4 else ""
        named = self.home.find_room(room) if room else None  # a room id, name or alias, in any case
        room = named.id if named is not None else room
        said = text.strip().lower() if language == "en" else normalised
        understood = self._read(
            text, normalised, said, language, room, session=session, devices_now=state, speaker=speaker
        )
        return self._held_back(understood, said)

    def _read(
        self,
        text: str,
        normalised: str,
        said: str,
        language: str,
        room: str | None,
        *,
        session: str | None,
        devices_now: StateReader | None = None,
        speaker: str | None = None,
    ) -> Understanding:
        error = self._refused(text, normalised, room)
        if error is not None:
            return Understanding(text, (), lambda: (refusal(error),), language=language, error=error)
        room = room or None
        for reader in self.readers:
            understood = reader.read(text, said, language, self, speaker=speaker)
            if understood is not None:
                return understood
        if find_condition(said, language) is not None:  # never read as a request now
            return self._held_back(Understanding(text, (), tuple, language=language), said, always=True)
        phrased = self._phrases.match(text) if self._phrases is not None else None
        if phrased is not None:
            return Understanding(text, (Command(phrased.intent, (), phrased.params),), tuple, language=phrased.language)
        state = self._sessions.get(session, _Session()) if session is not None else _Session()
        asked = PendingChoice(normalised, room, ())
        if state.choice is not None:
            chosen = picked(scan(normalised, self._gazetteer), self.home, state.choice.candidates)
            asked = replace(state.choice, chosen=state.choice.chosen | chosen) if chosen else asked
        result = self._understand(asked.text, asked.room, state.previous, asked.chosen, devices_now)
        result, slip = self._mend(asked, state.previous, result, devices_now)
        choice = replace(asked, candidates=tuple(d.id for d in result.choices)) if result.choices else None
        if session is not None:
            self._remember(session, state, result.commands, choice)
        if choice is not None:
            choices = result.choices
            return Understanding(
                text,
                (),
                lambda: (choice_question(self.home, choices),),
                False,
                language,
                needs_choice=choice.candidates,
            )
        # A repeating schedule stands, like a rule: it is read back and kept after a yes ("저녁 7시마다 …").
        standing = any(c.params.get("repeat") for c in result.commands)
        confirm = standing or any(self._confirm(c) for c in result.commands) or (slip is not None and slip.ask)
        note = slip_note(slip) if slip is not None else None

        def reply() -> list[Said]:
            said = promise(self.home, result.commands, result.not_found, result.why, needs_confirmation=confirm)
            return [*([note] if note else []), *said, *([Said("reply.ask_standing")] if standing else [])]

        return Understanding(
            text,
            tuple(result.commands),
            reply,
            confirm,
            language,
            tuple(result.not_found),
            note=None if confirm else note,
        )

    def _mend(
        self, asked: PendingChoice, previous: Previous | None, result: _Result, devices_now: StateReader | None
    ) -> tuple[_Result, Slip | None]:
        """A request that did nothing because of a word not understood, read again with the home's words one
        letter away from it: one such word is read as meant, several are asked about (a yes carries it out)."""
        word = next(iter(result.unread), None)
        if word is None or (result.commands and not result.choices):
            return result, None
        options = self._slips.meant(word)
        readings = []
        for option in options:
            again = self._understand(
                asked.text.replace(word, option, 1), asked.room, previous, asked.chosen, devices_now
            )
            if again.commands and not again.not_found and not again.choices:
                readings.append((option, again))
        if not readings:
            return result, None
        option, again = readings[0]
        return again, Slip(word, option, ask=len(options) > 1)

    def _held_back(self, understood: Understanding, said: str, *, always: bool = False) -> Understanding:
        """`understood` without the commands that act now when `said` has a condition or asks about the past;
        what only asks (a state question, a rule proposed for a yes) stays."""
        why = holding(said, understood.language)
        if why is None or not (always or any(acts(c, self.intents) for c in understood.commands)):
            return understood
        kept = tuple(c for c in understood.commands if not acts(c, self.intents))
        language, (key, condition) = understood.language, why
        if kept:
            return Understanding(understood.text, kept, lambda: promise(self.home, kept), language=language)
        return Understanding(
            understood.text, (), lambda: (Said(f"reply.{key}", {"condition": condition}),), language=language
        )

    def _refused(self, text: str, normalised: str, room: str | None) -> str | None:
        """A request jibsa will not read: one longer than MAX_CHARS, or said in a room the home lacks."""
        if len(text) > MAX_CHARS * 4 or len(normalised) > MAX_CHARS:
            return "too_long"
        if room and self.home.room(room) is None:
            return "unknown_room"
        return None

    def _understand(
        self,
        text: str,
        room: str | None,
        previous: Previous | None,
        chosen: frozenset[str] = frozenset(),
        devices_now: StateReader | None = None,
    ) -> _Result:
        timing = find_timing(text)
        blanked = _blank(text, timing.spans)
        tokens = scan(blanked, self._gazetteer)
        result = _Result()
        carried: tuple[str, ...] = ()
        said_from = min((start for start, _ in timing.spans), default=0)
        untimed, said_in = 0, False  # the requests before the one the timing is said in ("맞추고 30분 뒤에 꺼줘")
        for clause in _clauses(tokens, blanked, self.home):
            ctx = Context(room, carried, self._narrow, self._fillers, chosen, devices_now)
            outcome: Interpretation = interpret(clause, self.home, self._lexicon, ctx, previous)
            if clause.rooms:
                carried = tuple(dict.fromkeys(clause.rooms))
            if outcome.reason == "choose" and not result.choices:
                result.choices = outcome.devices
            result.commands += outcome.commands
            result.not_found += outcome.not_found
            if outcome.reason:
                result.why.append(outcome)
            if outcome.unread:
                result.unread.append(outcome.unread)
            previous = previous_of(outcome.commands, self.home) or previous
            if clause.tokens[-1].start < said_from:
                untimed = len(result.commands)
            else:
                said_in = True
        if not said_in:
            untimed = 0  # said after every request ("turn off the tv in 5 minutes"): for all of them
        if timing.params:
            result.commands = [c if i < untimed else _timed(c, timing.params) for i, c in enumerate(result.commands)]
        return result

    def device_ids(self, text: str) -> list[str]:
        """The devices `text` names, by their names (for readers of other sentences)."""
        return [v for token in scan(normalise(text), self._gazetteer) for v in token.values("device")]

    def room_ids(self, text: str) -> list[str]:
        """The rooms `text` names (for readers of other sentences: "아이방 온도가 28도 넘으면")."""
        return [v for token in scan(normalise(text), self._gazetteer) for v in token.values("room")]

    def commands(self, text: str, room: str | None = None) -> list[Command]:
        """The commands `text` asks for, read alone (no session), as said in `room` when given."""
        return self._understand(normalise(text), room, None).commands

    def _confirm(self, command: Command) -> bool:
        devices = (self.home.device(t) for t in command.targets)
        return any(d is not None and needs_confirmation(d, command) for d in devices)

    def _remember(self, session: str, state: _Session, commands: list[Command], choice: PendingChoice | None) -> None:
        if any(c.intent == "cancel" for c in commands):
            new = _Session(state.previous)
        else:
            new = _Session(previous_of(commands, self.home) or state.previous, choice)
        self._sessions[session] = new
        self._sessions.move_to_end(session)
        while len(self._sessions) > MAX_SESSIONS:
            self._sessions.popitem(last=False)


def _blank(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _clauses(tokens: list[Token], text: str, home: Home) -> list[Clause]:
    """Requests of the sentence; a part that only names targets joins the request after it."""
    groups = split_clauses(tokens)
    merged: list[list[Token]] = []
    carry: list[Token] = []
    for group in groups:
        joined = carry + group
        if not any(t.tags() & _ASKING for t in joined):
            carry = joined
            continue
        carry = []
        merged.append(joined)
    if carry:
        merged.append(carry)
    floors = [0, *(g[-1].end for g in merged)][: len(merged)]
    return [
        read_clause(g, text, home, floor, last=i == len(merged) - 1)
        for i, (g, floor) in enumerate(zip(merged, floors, strict=True))
    ]


def _timed(command: Command, timing: dict[str, Any]) -> Command:
    if command.intent not in _TIMED:
        return command
    return replace(command, params={**command.params, **timing})
