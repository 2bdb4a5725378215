"""Issue 20, item 17: credentials never reach a log (the data.go.kr service key was written in clear in the
serve log, on the request log line)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jibsa.redaction import install_redaction, redact, redact_fully, redact_value

SERVICE_KEY = "Abc%2BdEf123456789%3D%3D"
SECRETS = [
    (
        f"HTTP Request: GET https://apis.data.go.kr/1360000/VilageFcstInfoService_2.0/getVilageFcst?serviceKey="
        f'{SERVICE_KEY}&numOfRows=1000 "HTTP/1.1 200 OK"',
        SERVICE_KEY,
    ),
    ("headers {'Authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig'}", "eyJhbGciOiJIUzI1NiJ9"),
    ('{"access_token": "thinq-access-0123456789", "refresh_token": "thinq-refresh-9876543210"}', "thinq-"),
    ("wss://ws.example/?token=st-personal-token-1234&x=1", "st-personal-token-1234"),
    ("mqtt://jibsa:hunter2hunter2@broker.local:1883", "hunter2hunter2"),
    (
        "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----",
        "MIGHAgEA",
    ),
    ("token jibsa_AbCdEfGhIjKlMnOpQrStUv0123 made", "AbCdEfGhIjKlMnOpQrStUv0123"),
]


@pytest.fixture(name="redacting")
def _redacting() -> Iterator[None]:
    factory = logging.getLogRecordFactory()
    install_redaction()
    yield
    logging.setLogRecordFactory(factory)


@pytest.mark.parametrize(("line", "secret"), SECRETS)
def test_credentials_are_redacted(line: str, secret: str) -> None:
    cleaned = redact(line)
    assert secret not in cleaned and "[redacted]" in cleaned


def test_the_rest_of_a_line_is_kept() -> None:
    line = f"GET https://apis.data.go.kr/x?serviceKey={SERVICE_KEY}&numOfRows=1000&dataType=JSON"
    assert redact(line) == "GET https://apis.data.go.kr/x?serviceKey=[redacted]&numOfRows=1000&dataType=JSON"
    assert redact("거실 조명이 켜졌어요.") == "거실 조명이 켜졌어요."


@pytest.mark.usefixtures("redacting")
def test_every_logger_and_its_exceptions_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    logging.getLogger("httpx").info(
        "HTTP Request: %s %s", "GET", f"https://apis.data.go.kr/x?serviceKey={SERVICE_KEY}&pageNo=1"
    )
    try:
        raise RuntimeError(f"401, message='Unauthorized', url='https://api.example/?access_token=tok{SERVICE_KEY}'")
    except RuntimeError:
        logging.getLogger("jibsa.adapters.thinq").exception("poll failed")
    install_redaction()  # twice: still one redaction
    logging.getLogger("uvicorn.error").warning("Authorization: Bearer st-0123456789abcdef")
    assert SERVICE_KEY not in caplog.text and "st-0123456789abcdef" not in caplog.text
    assert caplog.text.count("[redacted]") >= 3
    assert "serviceKey=[redacted]&pageNo=1" in caplog.text


@pytest.mark.usefixtures("redacting")
def test_a_formatter_that_reads_the_arguments_still_can(capsys: pytest.CaptureFixture[str]) -> None:
    """uvicorn's access log unpacks record.args: every request printed 'Logging error' when redaction
    dropped them."""
    from uvicorn.logging import AccessFormatter

    handler = logging.StreamHandler()
    handler.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False))
    access = logging.getLogger("test.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        for path in ("/", f"/api/events?token=jibsa_AbCdEfGhIjKlMnOpQrStUv0123&x={SERVICE_KEY}"):
            access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", path, "1.1", 200)
    finally:
        access.removeHandler(handler)
    err = capsys.readouterr().err
    assert "Logging error" not in err
    assert '127.0.0.1:5 - "GET / HTTP/1.1" 200' in err
    assert "AbCdEfGhIjKlMnOpQrStUv0123" not in err and "/api/events?token=" in err


# The pieces every rule is built from, so that generated text often comes close to a credential.
_NEAR_CREDENTIALS = [
    "=",
    ":",
    "?",
    "&",
    ";",
    '"',
    "'",
    " ",
    "\n",
    "@",
    "/",
    "://",
    "-----BEGIN ",
    "-----END ",
    "PRIVATE KEY-----",
    "bearer ",
    "Basic ",
    "BEARER",
    "ba\u017fic ",
    "authorization",
    "Authorization: ",
    "token",
    "access_token",
    "serviceKey",
    "jibsa_",
    "AbCdEfGhIjKlMnOpQrStUv0123",
    "거실",
    "\u200b",
    "ｐｉｎ",
]


@given(st.lists(st.one_of(st.sampled_from(_NEAR_CREDENTIALS), st.text(max_size=6)), max_size=12))
@settings(max_examples=400, deadline=None)
def test_the_quick_look_never_lets_a_credential_through(pieces: list[str]) -> None:
    """`redact` skips text in which no rule can match; whatever the text, it cleans exactly what every rule
    applied in full cleans."""
    text = "".join(pieces)
    assert redact(text) == redact_fully(text)


def test_a_document_of_a_command_is_cleaned_as_before() -> None:
    detail = {
        "request": "r1", "intent": "set", "targets": ["light"], "params": {"property": "brightness", "value": 40},
        "note": "Authorization: Bearer st-0123456789abcdef", "ｐｉｎ": "1234", "pin": True,
    }  # fmt: skip
    cleaned = redact_value(detail)
    assert cleaned["params"] == {"property": "brightness", "value": 40} and cleaned["targets"] == ["light"]
    assert "st-0123456789abcdef" not in cleaned["note"] and cleaned["ｐｉｎ"] == "[redacted]"
    assert cleaned["pin"] is True  # only says whether one was given
