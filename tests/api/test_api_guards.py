"""The small guards behind the API: attempt limits, the intents it accepts."""

from __future__ import annotations

from typing import get_args

from jibsa.api.limits import AttemptLimiter
from jibsa.api.schemas import DeviceIntent
from jibsa.cli.serve_cmd import is_loopback
from jibsa.domain.commands import DEVICE_INTENTS


def test_attempt_limiter_allows_limit_attempts_per_window() -> None:
    now = [0.0]
    limiter = AttemptLimiter(3, 60.0, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.retry_after("ip:a") == 0
        limiter.record("ip:a")
    assert limiter.retry_after("ip:a") == 60
    assert limiter.retry_after("ip:b") == 0
    now[0] = 30.0
    assert limiter.retry_after("ip:a") == 30
    now[0] = 60.0
    assert limiter.retry_after("ip:a") == 0
    limiter.record("ip:a")
    limiter.reset("ip:a")
    assert limiter.retry_after("ip:a") == 0


def test_attempt_limiter_memory_is_bounded() -> None:
    limiter = AttemptLimiter(1, 60.0, max_keys=10)
    for i in range(100):
        limiter.record(f"ip:{i}")
    assert len(limiter._attempts) <= 10


def test_the_api_accepts_exactly_the_device_intents() -> None:
    assert set(get_args(DeviceIntent)) == DEVICE_INTENTS


def test_loopback_addresses() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.0.2", "example.com"))


def test_tokens_in_websocket_paths_are_hidden_from_logs() -> None:
    import logging

    from jibsa.cli.serve_cmd import _RedactTokens

    record = logging.LogRecord(
        "uvicorn.error",
        logging.INFO,
        __file__,
        1,
        '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:5", "/api/events?token=jibsa_secret&x=1"),
        None,
    )
    assert _RedactTokens().filter(record)
    assert "jibsa_secret" not in record.getMessage() and "token=***&x=1" in record.getMessage()
