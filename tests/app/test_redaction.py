"""Issue 20, item 17: credentials never reach a log (the data.go.kr service key was written in clear in the
serve log, on the request log line)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from jibsa.redaction import install_redaction, redact

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
