"""Helpers of the rule tests."""

from __future__ import annotations

from typing import Any

import httpx

from jibsa.app import RunningHome
from jibsa.hub import settle
from jibsa.rules.engine import RuleEngine
from jibsa.rules.model import Rule
from jibsa.rules.schema import read_rule
from jibsa.words import say


def engine_of(running: RunningHome) -> RuleEngine:
    assert running.rules is not None
    return running.rules


async def add_rule(running: RunningHome, data: dict[str, Any]) -> Rule:
    rule = await engine_of(running).add(read_rule(data, running.hub.home))
    await settle()
    return rule


async def notifications(running: RunningHome) -> list[str]:
    engine = engine_of(running)
    await engine.settled()
    # what was told, including what a later state has since resolved (hidden from the list, still kept)
    return [say(n.said, "ko") for n in await engine.store.notifications(running.hub.home.id, None, resolved=True)]


class Api:
    def __init__(self, client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
        self.client = client
        self.tokens = tokens

    async def call(self, who: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await self.client.request(
            method, path, headers={"Authorization": f"Bearer {self.tokens[who]}"}, **kwargs
        )
