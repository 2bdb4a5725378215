"""Rule sentences as the parser reads them: "세탁 끝나면 알려줘" becomes an ``add_rule`` command, read
back before it is saved ("세탁기가 끝나면 알려 드릴게요. 이렇게 저장할까요?")."""

from __future__ import annotations

from jibsa.domain.said import Said
from jibsa.nlu import Parser, Understanding
from jibsa.rules.readback import readback
from jibsa.rules.sentences import RuleReader
from jibsa.rules.triggers import TriggerKinds, installed_kinds
from jibsa.words import LANGUAGES


class RuleSentences:
    """The parser's reader of rule sentences (a `jibsa.nlu.parser.SentenceReader`, installed under the
    entry point group `jibsa.sentences`), with the trigger kinds it listens for (the installed ones when
    not given)."""

    def __init__(self, kinds: TriggerKinds | None = None) -> None:
        self.kinds = kinds or installed_kinds()

    def read(
        self, text: str, said: str, language: str, parser: Parser, *, speaker: str | None = None
    ) -> Understanding | None:
        command = RuleReader(
            parser.home, parser.device_ids, parser.commands, self.kinds, find_rooms=parser.room_ids, speaker=speaker
        ).read(said, language)
        if command is None:
            return None
        asks = command.intent == "add_rule"  # a new rule is read back and saved only after a yes
        home, params, kinds = parser.home, command.params, self.kinds

        def read_back() -> tuple[Said, ...]:  # worded here, in each language, as rules' own sentences are
            if not asks:
                return ()
            said = {lang: readback(home, params["rule"], lang, kinds) for lang in LANGUAGES}
            return (Said("reply.read_back", {"text": said}),)

        return Understanding(text, (command,), read_back, asks, language)
