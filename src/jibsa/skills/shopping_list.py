"""add_item: "우유 장보기 목록에 추가해줘" keeps the item in the home's list, durably."""

from __future__ import annotations

from jibsa.domain import Command
from jibsa.hub import Outcome, SkillHost


async def add_item(command: Command, hub: SkillHost) -> Outcome:
    item = str(command.params.get("item") or "").strip()
    list_name = str(command.params.get("list") or "shopping")
    if not item:
        return Outcome(command, error="no_item")
    await hub.store.add_list_item(hub.home.id, list_name, item)
    return Outcome(
        command, answer={"item": item, "list": list_name, "items": await hub.store.list_items(hub.home.id, list_name)}
    )
