"""A home with the devices rules talk about, run for real (SQLite store in a temporary directory,
simulated appliances, the rule engine) on a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from tests_rules_support import Api

from jibsa.api import AuthSettings, create_app
from jibsa.api.accounts import add_user_with_token
from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Home, Role
from jibsa.home_file import load_home
from jibsa.hub import ManualClock

HOME_FILE = Path(__file__).with_name("data") / "rules_home.yaml"


@pytest.fixture
def home() -> Home:
    return load_home(HOME_FILE).home


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> ManualClock:
    """2026-01-01 08:00 in Seoul (a Thursday), or the epoch seconds a test gives (indirect parametrize)."""
    return ManualClock(getattr(request, "param", 1_767_222_000.0))


@pytest.fixture
async def running(tmp_path: Path, home: Home, clock: ManualClock) -> AsyncIterator[RunningHome]:
    # The push service stand-in listens on 127.0.0.1: allowed as an owner allows a push relay in the home.
    settings = Settings(data_dir=tmp_path, adapter_settings={"push": {"allow": ["127.0.0.1/32"]}})
    async with await open_home(settings, clock=clock, home=home) as opened:
        yield opened


@pytest.fixture
async def api(running: RunningHome) -> AsyncIterator[Api]:
    tokens = {}
    for name, role in (("엄마", Role.OWNER), ("아이", Role.MEMBER), ("손님", Role.GUEST)):
        _, tokens[name] = await add_user_with_token(running.store, running.hub.home.id, name, role)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=create_app(running, AuthSettings()), client=("192.0.2.10", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://jibsa.test") as client:
        yield Api(client, tokens)
