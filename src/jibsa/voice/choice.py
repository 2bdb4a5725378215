"""Home-aware recognition: among the recogniser's hypotheses, take the one the parser understands
against this home — so "셔터 올려줘" is not taken as a near-miss that commands nothing, and "turn on the
bedroom light" is not taken as "turn on the bad room light" (which the parser reads as every light).

The choice may only sharpen what the likeliest hypothesis says, never change it: a hypothesis further
down is taken when it names the same intents and some of the same devices (a better-fitting device or
value), never one that flips a direction (on/off, open/close, lock/unlock, start/stop) or moves to
another device. When the hypotheses that count disagree on those, the choice asks instead of acting
("세탁기요, 식기세척기요?"). A safety device (door lock, gas valve, garage door) is acted on only when the
likeliest hypothesis names it itself, and no hypothesis in the beam, however unlikely, reads it otherwise.

Nothing is acted on from words the recogniser itself doubts: a hypothesis it scores below `DOUBTFUL_SCORE`
that does not name its devices itself, or one that repeats itself (a decoding loop), is not carried out;
the person is asked to say it again. Espeak-ng's Korean, unintelligible to Whisper, came back as
"한 번 가수, 피꼬주와" (score -1.43), which the parser reads as "TV channel 1"."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files

import yaml

from jibsa.domain import Home
from jibsa.domain.policy import SAFETY_TYPES
from jibsa.nlu import Understanding
from jibsa.nlu.lexicon import load_lexicon
from jibsa.voice.errors import voice_message
from jibsa.voice.stt import Hypothesis

# How much less likely (in the recogniser's score, an average log-probability per token) a hypothesis
# may be and still win by being more specific. Hypotheses further down are taken only when nothing
# likelier is understood at all.
SCORE_MARGIN = 0.5
# Below this score the words are the recogniser's guess: Whisper itself treats an average log-probability
# under -1 as a failed decode (its `log_prob_threshold`). In bench/voice_bench.py, espeak's Korean garbles
# that would have acted scored -1.39 to -1.67; English heard right scored down to -1.39 ("Start the
# washer."), so a low score alone is not enough to doubt: the words must also fail to name the device.
DOUBTFUL_SCORE = -1.0
# Text that compresses this well repeats itself (Whisper's `compression_ratio_threshold`).
LOOPING_RATIO = 2.4


@dataclass(frozen=True)
class Reading:
    """What a hypothesis would do: its intents in order (None when the parser only asked which device)
    and the devices it names (or asks among)."""

    intents: tuple[str, ...] | None
    devices: frozenset[str]

    @classmethod
    def of(cls, understanding: Understanding) -> Reading:
        intents = tuple(c.intent for c in understanding.commands) or None
        named = frozenset(t for c in understanding.commands for t in c.targets)
        devices = named or frozenset(understanding.needs_choice)
        return cls(intents, devices)

    def sharpens(self, other: Reading) -> bool:
        """Whether this says what `other` says, on some of its devices (never a direction or device it did not)."""
        same_intents = self.intents is None or other.intents is None or self.intents == other.intents
        return same_intents and self.devices <= other.devices

    def agrees(self, other: Reading) -> bool:
        return self.sharpens(other) or other.sharpens(self)


@dataclass(frozen=True)
class Choice:
    """The hypothesis taken, its place in the recogniser's order, and what the parser made of it. When the
    hypotheses disagree on what to do, `asks` holds the readings to ask between and nothing is acted on."""

    text: str
    rank: int
    understanding: Understanding | None
    asks: tuple[Understanding, ...] = ()
    doubtful: bool = False  # the recogniser doubts the words taken: asked to say it again, nothing acted on

    @property
    def acts(self) -> bool:
        """Whether what was heard may be carried out (nothing asked, nothing doubted)."""
        return not self.asks and not self.doubtful and self.understanding is not None

    @property
    def language(self) -> str:
        understanding = self.asks[0] if self.asks else self.understanding
        return understanding.language if understanding is not None else "ko"

    def question(self, home: Home) -> str:
        """What to ask when the hypotheses disagree: which device ("세탁기요, 식기세척기요?") when they name
        different ones, else which of the two sentences was said; to say it again when the words are doubted."""
        if not self.asks:
            return voice_message("say_again", self.language, heard=self.text.strip())
        first, second = self.asks
        language = first.language
        names = [_names(home, u) for u in self.asks]
        if names[0] and names[1] and names[0] != names[1]:
            return voice_message("ask_which_device", language, first=names[0], second=names[1])
        return voice_message("ask_which_words", language, first=first.text.strip(), second=second.text.strip())


def choose_understood(
    alternatives: Sequence[Hypothesis], understand: Callable[[str], Understanding], home: Home
) -> Choice:
    """Of the hypotheses close to the likeliest that give commands with every name found (or that the parser
    understood well enough to ask which device) and agree with what the likeliest says, the most specific
    (fewest devices); when nothing close is understood, such a hypothesis at any distance. Asks when the
    candidates disagree. `understand` must change nothing (parse without a session); `home` tells which
    devices are safety devices.

    Doubted (`Choice.doubtful`, nothing acted on) when the hypothesis taken would change something and the
    recogniser doubts its words: no hypothesis that says the same commands scores `DOUBTFUL_SCORE` or more
    and the words do not name the devices themselves, or the words repeat themselves."""
    choice = _choose(alternatives, understand, home)
    taken = choice.understanding
    if choice.asks or taken is None or not _acts(taken):
        return choice
    said = [h for h in alternatives if h.text == choice.text or understand(h.text).commands == taken.commands]
    unsure = max(h.score for h in said) < DOUBTFUL_SCORE
    if (unsure and not _names_devices(choice.text, taken, home)) or _loops(choice.text):
        return replace(choice, doubtful=True)
    return choice


def _names_devices(text: str, understanding: Understanding, home: Home) -> bool:
    """Whether `text` names each device `understanding` acts on, by its name or its kind's word ("washer"),
    rather than the parser inferring it ("한 번" read as the channel of the only TV)."""
    plain = _squeezed(text)
    kinds = load_lexicon().kinds
    for target in {t for c in understanding.commands for t in c.targets}:
        device = home.device(target)
        words = (*device.names, *kinds.get(device.type, ())) if device is not None else ()
        if not any(_squeezed(w) in plain for w in words):
            return False
    return True


def _squeezed(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _acts(understanding: Understanding) -> bool:
    """Whether carrying `understanding` out would change something (a question changes nothing)."""
    return any(not c.intent.startswith("query") for c in understanding.commands)


def _loops(text: str) -> bool:
    """Whether `text` repeats itself: it compresses better than `LOOPING_RATIO` (as Whisper judges a loop)."""
    raw = text.encode("utf-8")
    return len(raw) > 24 and len(raw) / len(zlib.compress(raw)) > LOOPING_RATIO


def _choose(alternatives: Sequence[Hypothesis], understand: Callable[[str], Understanding], home: Home) -> Choice:
    """The choice before doubt (see `choose_understood`)."""
    if not alternatives:
        return Choice("", 0, None)
    understood = [understand(h.text) for h in alternatives]
    readings = [Reading.of(u) for u in understood]
    complete = [rank for rank, u in enumerate(understood) if (u.commands and not u.not_found) or u.needs_choice]
    close = [rank for rank in complete if alternatives[rank].score >= alternatives[0].score - SCORE_MARGIN]
    pool = close or complete
    top = understood[0]
    said = bool(top.commands or top.needs_choice)  # the likeliest hypothesis says what to do
    if (
        readings[0].intents is None
    ):  # a lower hypothesis may not supply a direction the likeliest seems to say the other way
        pool = [r for r in pool if not _hints_opposite(alternatives[0].text, readings[r])]
    anchor = readings[0] if said else readings[pool[0]] if pool else None
    if anchor is not None:
        rival = next((r for r in pool if not readings[r].agrees(anchor)), None)
        if rival is not None:
            first = 0 if said else pool[0]
            return Choice(alternatives[first].text, first, understood[first], (understood[first], understood[rival]))
        pool = [r for r in pool if readings[r].sharpens(anchor)]
    rank = 0
    if pool:  # close ones: the most specific; else the likeliest understood at all
        rank = min(pool, key=lambda r: (len(readings[r].devices), r)) if close else pool[0]
    if _names_safety_device(readings[rank], home):
        if rank:
            rank = 0  # a lock, the gas or the garage only when the likeliest hypothesis names it itself ...
        otherwise = [understood[r] for r in complete] + [understand(t) for t in _confusable(alternatives[rank].text)]
        misread = next((u for u in otherwise if not Reading.of(u).agrees(readings[rank])), None)
        if misread is not None:  # ... and plainly: nothing heard or near it reads it otherwise ("and lock" / "unlock")
            return Choice(alternatives[rank].text, rank, understood[rank], (understood[rank], misread))
    return Choice(alternatives[rank].text, rank, understood[rank])


@cache
def _confusions() -> tuple[tuple[re.Pattern[str], str], ...]:
    text = files("jibsa.voice.data").joinpath("confusable.yaml").read_text(encoding="utf-8")
    return tuple(
        (re.compile(rf"\b{re.escape(row['heard'])}\b", re.IGNORECASE), str(row["said"]))
        for rows in yaml.safe_load(text).values()
        for row in rows
    )


def _confusable(text: str) -> list[str]:
    """`text` with a word the recogniser often hears in place of a direction word put back."""
    return [pattern.sub(said, text, count=1) for pattern, said in _confusions() if pattern.search(text)]


_OPPOSITES = {"turn_on": "turn_off", "open": "close", "lock": "unlock", "start": "stop"}
_OPPOSITE = _OPPOSITES | {b: a for a, b in _OPPOSITES.items()}


@cache
def _latin_verbs(intent: str) -> tuple[str, ...]:
    """The one-word Latin verbs for `intent` in the parser's lexicon ("stop", "halt"; "off")."""
    return tuple(w for w in load_lexicon().groups("verbs").get(intent, ()) if re.fullmatch(r"[a-z]+", w))


def _hints_opposite(text: str, reading: Reading) -> bool:
    """Whether `text` (the likeliest hypothesis, not understood) holds a verb for the opposite of what
    `reading` does, or a word one letter from one ("top" for "stop", "of" for "off"): then the direction
    is the recogniser's guess, not what was heard."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    for intent in reading.intents or ():
        opposite = _OPPOSITE.get(intent)
        for verb in _latin_verbs(opposite) if opposite else ():
            if verb in words or (len(verb) >= 3 and any(_one_letter_apart(w, verb) for w in words)):
                return True
    return False


def _one_letter_apart(a: str, b: str) -> bool:
    """One letter changed, added or removed."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _names(home: Home, understanding: Understanding) -> str:
    devices = (home.device(d) for d in sorted(Reading.of(understanding).devices))
    return "·".join(d.name for d in devices if d is not None)


def _names_safety_device(reading: Reading, home: Home) -> bool:
    return any((device := home.device(d)) is None or device.type in SAFETY_TYPES for d in reading.devices)
