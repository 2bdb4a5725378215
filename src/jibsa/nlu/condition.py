"""Whether a sentence says a condition ("해 지면", "세탁 끝날 때", "비 올 때마다", "해 지기 30분 전에",
"if it rains"), and whether it asks rather than requests ("켜면 전기요금 많이 나와?", "28도 넘었어?").

Read from grammar, not from a list of phrases: a predicate with a conditional connective ending (…면/으면/
이면), a future adnominal before a word of time (…ㄹ 때, 때마다, 무렵, 즈음), an adnominal before 동안, a
nominalised predicate before 전에 (…기 전에), an event clause then a delay (해 지고 10분 뒤에), or an
English subordinator (if, when, whenever, once, as soon as, while; "stays … for", "is left … for").
The parser never acts on such a sentence now: it becomes a rule read back before it is kept, or a
question back (`jibsa.nlu.parser.Parser.parse`). The few words that merely end like a connective (라면,
화면, 수면) are listed in data/lexicon.yaml `condition.not_connective`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from jibsa.domain import Command
from jibsa.domain.intents import BUILTIN_INTENTS, Handler, IntentRegistry
from jibsa.nlu.lexicon import load_lexicon

_HANGUL = 0xAC00
_RIEUL, _NIEUN = 8, 4  # final-consonant indices of ㄹ and ㄴ in a Hangul syllable
_WORD = re.compile(r"[가-힣]+")
_TIME_NOUN = re.compile(r"\s*(?:때|무렵|즈음)(?![가-힣])|\s*때(?:마다|쯤|에|는|면|엔)")
_WHILE = re.compile(r"\s*(?:동안|사이에)(?![가-힣])")
_BEFORE = re.compile(r"기\s*(?:(?:\d+|[일이삼사오육칠팔구십]+|한|두|세)\s*(?:분|시간|초)(?:\s*반)?\s*)?(?:전에|전까지)")
_EVENT_THEN_DELAY = re.compile(
    r"([가-힣]+)고\s*(?:나서\s*)?(?:\d+|[일이삼사오육칠팔구십]+|한|두|세)\s*(?:분|시간|초)(?:\s*반)?\s*(?:뒤|후)(?:에|엔)?"
)
_RUN_START = re.compile(r"[^가-힣][가-힣]")  # a letter of Hangul after something else: one before it
_DURATION_WORD = re.compile(r"\d|(?:분|시간|초|일|주|달|년|잠깐|잠시|한참)$")
_ENGLISH = re.compile(
    r"\b(?:if|when|whenever|once|as soon as|while|every time)\b(?!\s+(?:does|do|did|is|are|was|will|can)\b)"
    r"|\b(?:stays?|is left|remains?|has been)\b.+\bfor\b"
    r"|\bat (?:sunset|sunrise|dusk|dawn)\b|\bbefore (?:sunset|sunrise|dusk|dawn)\b"
)
_ENGLISH_QUESTION = re.compile(
    r"^(?:what|what's|which|where|who|how|is|are|was|were|does|do|did|has|have|why|will|would it|should)\b"
    r"|\b(?:will it|would it|does it|is it)\b"
)
_ENGLISH_FAVOUR = re.compile(r"^(?:can|could|would|will) you\b|\bplease\b")
# "켜 줄래?", "알려 줄 수 있어요?", "꺼 주실래요?": a request said as a question.
_FAVOUR = re.compile(r"줘|줄래|줄\s*수|주실|주시|주겠|주세|주라|줍|줄까|할래|해\s*줄|해\s*볼래")
# "켜 놨어?", "꺼 뒀어?": the past of 놓다/두다 after a verb says a state that still holds, asked about now.
_RESULTATIVE = re.compile(r"[놨뒀]")
_QUESTION_END = re.compile(r"(?:까|니|냐|나요|는지|던가)\s*$")


@dataclass(frozen=True, slots=True)
class Condition:
    """The condition found: the words that make it one, and whether the sentence asks a question about it
    ("에어컨 켜면 전기요금 많이 나와?") instead of asking for something to be done when it holds."""

    said: str
    question: bool


def find_condition(text: str, language: str = "ko") -> Condition | None:
    """The condition `text` (normalised; lower case in English) says, or None when it says none."""
    said = _english_condition(text) if language == "en" else _korean_condition(text)
    if said is None:
        return None
    return Condition(said, asks_question(text, language))


def holding(text: str, language: str = "ko") -> tuple[str, str] | None:
    """Why nothing in `text` may act now, as a reply key and the words that say it: ("conditional", "해 지면"),
    ("conditional_question", "켜면"), ("past_question", ""); None when it may."""
    condition = find_condition(text, language)
    if condition is not None:
        return ("conditional_question" if condition.question else "conditional"), condition.said
    if asks_about_the_past(text, language):
        return "past_question", ""
    return None


def asks_question(text: str, language: str = "ko") -> bool:
    """`text` asks something (a question mark, or a question's opening or ending) and is not a request put
    as a question ("켜 줄래?", "can you turn it on?")."""
    stripped = text.strip()
    if language == "en":
        return bool(_ENGLISH_QUESTION.search(stripped) or stripped.endswith("?")) and not _ENGLISH_FAVOUR.search(
            stripped
        )
    if not (stripped.endswith(("?", "？")) or _QUESTION_END.search(stripped)):
        return False
    last = stripped.rstrip("?？ .")
    tail = last[-12:]
    return not _FAVOUR.search(tail)


def asks_about_the_past(text: str, language: str = "ko") -> bool:
    """A question whose last predicate is in the past ("28도 넘었어?", "엄마 집에 왔어?"): it asks what happened,
    so nothing is done for it."""
    if language == "en" or not asks_question(text, language):
        return False
    words = _WORD.findall(text)
    return bool(words) and _past(words[-1]) and not _RESULTATIVE.search(words[-1])


def acts(command: Command, intents: IntentRegistry = BUILTIN_INTENTS) -> bool:
    """Whether carrying `command` out changes the home or its jobs (a device, a scene, a timer); a question, a
    rule proposed for a yes, the weather or the time change nothing."""
    spec = intents.get(command.intent)
    if spec is None:
        return True  # an intent of another package: assume it acts
    if spec.handler in (Handler.DEVICE, Handler.SCENE):
        return command.intent != "query_state"
    return spec.changes_jobs


def condition_parts(text: str) -> tuple[list[str], str] | None:
    """A Korean sentence cut after each condition it says: the parts that say when (each with its marker:
    "해 질 무렵", "해 지기 30분 전에") and what is to be done then; None when it says no condition."""
    ends = sorted({end for finder in _FINDERS for _, end in finder(text)})
    if not ends:
        return None
    cuts = [0, *ends]
    parts = [text[a:b].strip(" ,") for a, b in pairwise(cuts)]
    return [p for p in parts if p], text[ends[-1] :].strip(" ,")


Span = tuple[int, int]


def _korean_condition(text: str) -> str | None:
    for finder in _FINDERS:
        for start, end in finder(text):
            return text[:end].strip() if end - start < 4 else text[start:end].strip()
    return None


def _connective(text: str) -> list[Span]:
    """A predicate ending in (으/이)면 that is not a wish ("켜 주면 좋겠어") or a prohibition ("끄면 안 돼")."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not word.endswith("면") or len(word) < 2 or _not_connective(word):
            continue
        after = text[match.end() : match.end() + 6].lstrip()
        if re.match(r"(?:좋|고맙|감사|돼|되|된|안\s*(?:돼|되))", after):
            continue
        found.append(match.span())
    return found


def _time_clause(text: str) -> list[Span]:
    """A future adnominal (…ㄹ) before 때, 무렵, 즈음: "해 질 무렵", "세탁 끝날 때", "비 올 때마다"."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if _final(word[-1]) != _RIEUL or word in _not_adnominal():
            continue
        noun = _TIME_NOUN.match(text, match.end())
        if noun:
            found.append((match.start(), noun.end()))
    return found


def _while_clause(text: str) -> list[Span]:
    """An adnominal before 동안 or 사이에 ("자는 동안", "외출한 사이에"), not a duration ("30분 동안")."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not (word.endswith("는") or _final(word[-1]) == _NIEUN) or _DURATION_WORD.search(word):
            continue
        if re.search(r"\d\s*$", text[max(0, match.start() - 3) : match.start()]):
            continue
        noun = _WHILE.match(text, match.end())
        if noun:
            found.append((match.start(), noun.end()))
    return found


def _before_clause(text: str) -> list[Span]:
    """A nominalised predicate before 전에: "해 지기 30분 전에", "자기 전에"."""
    return [m.span() for m in _BEFORE.finditer(text) if m.start() > 0 and re.match(r"[가-힣]", text[m.start() - 1])]


def _event_then_delay(text: str) -> list[Span]:
    """Something that happens, then a delay: "해 지고 10분 뒤에" (not a request: "맞추고 30분 뒤에 꺼줘")."""
    return [m.span() for m in _events_then_delays(text) if not _requests(m.group(1))]


def _events_then_delays(text: str) -> list[re.Match[str]]:
    """What `_EVENT_THEN_DELAY.finditer(text)` finds, in linear time. finditer tries every position, and
    from each letter of a long run of Hangul the stem reads to the run's end (2,000 letters: 2,000² steps);
    but a match starting inside a run would also match from where the run starts, so only run starts and
    the end of the last match are tried."""
    found, pos = [], 0
    while pos < len(text):
        if match := _EVENT_THEN_DELAY.match(text, pos):
            found.append(match)
            pos = match.end()
        elif run := _RUN_START.search(text, pos):
            pos = run.start() + 1
        else:
            break
    return found


def _requests(stem: str) -> bool:
    """A request's verb ("맞추", "켜"), or a verb helped by 주다/놓다/두다 ("켜 주", "틀어 놓"): only people
    are asked to do things."""
    return stem.endswith(("주", "드리", "놓", "두", "놔")) or any(
        stem.startswith(verb) or stem.endswith(verb) for verb in _request_verbs()
    )


_FINDERS = (_connective, _time_clause, _while_clause, _before_clause, _event_then_delay)


def _english_condition(text: str) -> str | None:
    found = _ENGLISH.search(text)
    return found.group(0) if found else None


def _final(syllable: str) -> int:
    code = ord(syllable) - _HANGUL
    return code % 28 if 0 <= code < 11172 else -1


def _past(word: str) -> bool:
    """켰어, 넘었어, 왔어: a syllable with the final ㅆ of the past (있/없/겠 aside)."""
    return any(_final(ch) == 20 and ch not in "겠있없싶" for ch in word)


def _not_connective(word: str) -> bool:
    return any(word.endswith(noun) for noun in _nouns())


@cache
def _nouns() -> tuple[str, ...]:
    return load_lexicon().words("not_connective")


@cache
def _not_adnominal() -> frozenset[str]:
    return frozenset(load_lexicon().words("not_adnominal"))


@cache
def _request_verbs() -> tuple[str, ...]:
    """The stems of the verbs that ask for something ("켜", "맞추"), from the lexicon's verbs."""
    lexicon = load_lexicon()
    words = {w for group in lexicon.groups("verbs").values() for w in group}
    return tuple(sorted((w for w in words if re.fullmatch(r"[가-힣]+", w)), key=len, reverse=True))
