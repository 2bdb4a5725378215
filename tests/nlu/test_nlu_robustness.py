"""Whatever arrives, the parser answers: hypothesis fuzzing of Parser.parse and of `jibsa parse` lines."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nlu_scoring import DATA

from jibsa.cli.parse_cmd import answer_line, serve
from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.words.replies import understood_json

PARSER = Parser(load_home(DATA / "natural_home.yaml").home)
KOREAN_WORDS = ["거실", "불", "꺼줘", "켜", "에어컨", "이십삼", "도로", "그리고", "안방도", "됐어", "더워",
                "30분", "뒤에", "매일", "7시", "반", "다", "모든", "?", "티비", "잠가", "세탁", "언제", "끝나",
                "밝기", "50%", "그거"]  # fmt: skip
sentences = st.lists(st.sampled_from(KOREAN_WORDS), max_size=12).map(" ".join)
texts = st.one_of(st.text(max_size=300), sentences)


def _check(line: dict[str, object]) -> None:
    required = {"text", "commands", "reply", "needs_confirmation"}
    assert required <= set(line) <= required | {"error", "needs_choice"}
    assert isinstance(line["reply"], str) and line["reply"]
    if "error" in line or "needs_choice" in line:
        assert line["commands"] == []
    if "error" in line:
        error = line["error"]
        assert isinstance(error, dict) and error["code"] in ("unknown_room", "too_long", "bad_request")
        assert error["message"] and error["message_en"]
    json.dumps(line, ensure_ascii=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, room=st.sampled_from([None, "living", "bath", "nowhere"]), session=st.sampled_from([None, "a", "b"]))
def test_parse_never_fails(text: str, room: str | None, session: str | None) -> None:
    understanding = PARSER.parse(text, room=room, session=session)
    _check(understood_json(understanding))  # the line `jibsa parse` prints: the facts worded
    for command in understanding.commands:
        assert all(PARSER.home.device(t) is not None for t in command.targets)


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=400))
def test_any_bytes_get_one_answer(raw: bytes) -> None:
    _check(answer_line(PARSER, raw, None, "ko"))


@settings(max_examples=100, deadline=None)
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    )
)
def test_any_json_gets_one_answer(payload: object) -> None:
    raw = json.dumps({"text": payload, "room": payload, "session": payload}).encode()
    _check(answer_line(PARSER, raw, None, "ko"))


BAD_LINES = [b"", b"   \r", "가".encode() * 10_000, "🏠🔥💡 불 꺼 😀".encode(), b'{"text": "broken',
             b"\xff\xfe\x80 \xc3", b"[1, 2]", b'{"text": 5}', "거실 불 꺼줘".encode()]  # fmt: skip


def test_serve_answers_every_bad_line() -> None:
    out = io.StringIO()
    serve(PARSER, io.BytesIO(b"\n".join(BAD_LINES) + b"\n"), out, None, "ko")
    lines = out.getvalue().splitlines()
    assert len(lines) == len(BAD_LINES)
    for line in lines:
        _check(json.loads(line))
    assert json.loads(lines[-1])["commands"][0]["intent"] == "turn_off"


def _jibsa(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    code = "import sys; from jibsa.cli.main import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args], input=stdin, capture_output=True, env=env, timeout=60, check=False
    )


def test_cli_reads_lines_and_json_with_sessions() -> None:
    lines = [
        b'{"text": "\xeb\xac\xb4\xeb\x93\x9c\xeb\x93\xb1 \xec\xbc\x9c\xec\xa4\x98", "session": "s"}',
        '{"text": "밝기 50으로", "session": "s"}'.encode(),
        "불 꺼줘".encode(),
        *BAD_LINES,
    ]
    done = _jibsa(
        "parse", "--home", str(DATA / "natural_home.yaml"), "--room", "kitchen", stdin=b"\n".join(lines) + b"\n"
    )
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(answers) == len(lines)
    assert answers[1]["commands"] == [
        {"intent": "set", "targets": ["lv_lamp"], "params": {"property": "brightness", "value": 50}}
    ]
    assert answers[2]["commands"][0]["targets"] == ["kt_light"]


def test_cli_refuses_a_bad_home(tmp_path: Path) -> None:
    bad = tmp_path / "home.yaml"
    bad.write_text("rooms: [{id: a, name: A}]\ndevices: [{id: x, name: X, type: toaster}]\n", encoding="utf-8")
    done = _jibsa("parse", "--home", str(bad), stdin=b"hello\n")
    assert done.returncode == 2
    assert b"home.yaml" in done.stderr
