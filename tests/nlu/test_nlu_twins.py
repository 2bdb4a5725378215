"""Homes made from one home file (a provider's many homes) share one parser's vocabularies; each keeps
its own conversation sessions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jibsa.home_file import load_home
from jibsa.nlu import Parser


def test_a_twin_understands_alike_and_remembers_its_own_sessions() -> None:
    home = load_home(None).home
    parser = Parser(replace(home, id="a"))
    twin = parser.twin(replace(home, id="b"))
    assert twin.home.id == "b" and parser.home.id == "a"
    assert twin.commands("거실 불 꺼줘") == parser.commands("거실 불 꺼줘")
    parser.parse("안방 에어컨 켜줘", session="s")
    followed = twin.parse("거실도", session="s")  # "also the living room": b has heard nothing before
    assert followed.commands != parser.parse("거실도", session="s").commands


def test_a_home_with_other_devices_is_no_twin() -> None:
    home = load_home(None).home
    other = replace(home, id="b", devices=home.devices[:-1])
    with pytest.raises(ValueError, match="twin"):
        Parser(home).twin(other)
