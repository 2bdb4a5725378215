"""The example sentences of the README's rules table, run against the sample home (the home a new user
starts with): each is understood, and none names a device the sample home lacks. A rule example that
names 정원등 or 창문 answered "정원을 찾지 못했어요" on a fresh clone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.words.replies import understood_reply

ROOT = Path(__file__).resolve().parents[1]
HANGUL = re.compile(r"[가-힣]")


def _rule_table_sentences() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| when | say |") :]
    table = table[: table.index("\n\n")]
    cells = [row.split("|")[2] for row in table.splitlines()[2:]]
    sentences: list[str] = []
    for cell in cells:
        for said in (s.strip() for s in cell.split(" · ") if HANGUL.search(s)):
            first, *others = said.split(" / ")  # "현관 조명 규칙 꺼줘 / 지워줘": the last word swapped
            sentences += [first] + [f"{first.rsplit(' ', 1)[0]} {other}" for other in others]
    return sentences


SENTENCES = _rule_table_sentences()


def test_the_table_is_read() -> None:
    assert len(SENTENCES) >= 15 and "매일 해 지면 현관 조명 켜줘" in SENTENCES


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(load_home(None).home)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_each_example_is_understood_in_the_sample_home(parser: Parser, sentence: str) -> None:
    understood = parser.parse(sentence)
    reply = understood_reply(understood)
    assert understood.commands, f"{sentence!r}: {reply}"
    assert "찾지 못했어요" not in reply and "없어요" not in reply, reply


def test_the_zigbee2mqtt_walkthrough_home_file_line_takes_the_bulb_over(tmp_path: Path) -> None:
    """docs/mqtt-zigbee2mqtt.md: its home-file entry, put in a copy of the sample home, is a valid home
    whose 거실 스탠드 is the MQTT bulb, and "거실 스탠드 켜줘" reaches it."""
    from jibsa.home_file import sample_home_text

    doc = (ROOT / "docs" / "mqtt-zigbee2mqtt.md").read_text(encoding="utf-8")
    entry = re.search(r"  - \{id: living_stand.*?\}\}", doc, re.S).group(0)  # type: ignore[union-attr]
    home_text = re.sub(r"  - \{id: living_stand,[^\n]*", lambda _: entry, sample_home_text(), count=1)
    (tmp_path / "my-home.yaml").write_text(home_text, encoding="utf-8")
    home = load_home(tmp_path / "my-home.yaml").home
    stand = home.device("living_stand")
    assert stand is not None and stand.vendor == "mqtt" and stand.room == "living"
    assert stand.options["mqtt_unique_id"] == "0x001788010b2c3d4e_light_zigbee2mqtt"
    commands = Parser(home).parse("거실 스탠드 켜줘").commands
    assert [(c.intent, c.targets) for c in commands] == [("turn_on", ("living_stand",))]
