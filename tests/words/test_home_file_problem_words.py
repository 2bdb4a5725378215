"""A home file's problem said in words (jibsa.words.home_file): a file that is not YAML keeps the YAML parser's
own detail, in both languages, where the line and column say where."""

from __future__ import annotations

import pytest

from jibsa.domain import HomeFileError
from jibsa.home_file import parse_home_text
from jibsa.words.home_file import describe_problem


def _refused(text: str) -> HomeFileError:
    with pytest.raises(HomeFileError) as refused:
        parse_home_text(text, "home.yaml")
    return refused.value


@pytest.mark.parametrize(
    ("text", "line"),
    [("rooms: [\n", 2), ("name: x\nrooms:\n\t- a\n", 3)],  # a list never closed; a tab where YAML wants spaces
)
def test_a_file_that_is_not_yaml_says_what_the_parser_found(text: str, line: int) -> None:
    error = _refused(text)
    detail = str(error).split("not valid YAML: ", 1)[1]  # the parser's own words, as the log has them
    assert detail and "not valid YAML" not in detail
    assert describe_problem(error, "en") == f"home.yaml: line {line}, column 1: not valid YAML: {detail}"
    korean = f"home.yaml: {line}번째 줄 1번째 칸: YAML 형식이 올바르지 않아요 (파서 메시지: '{detail}')"
    assert describe_problem(error, "ko") == korean  # the parser's words quoted as its own, as a file's values are
