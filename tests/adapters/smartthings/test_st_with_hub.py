"""The SmartThings adapter as the hub uses it: built from settings, rooms matched by name, commands
carried out with results per device, and a cloud that hangs never holding up the other devices."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jibsa.adapters.smartthings.mapping import device_id_for
from jibsa.app import Settings, open_home
from jibsa.domain import Command
from jibsa.home_file import parse_home_text
from jibsa.hub import Hub
from jibsa.testing import Fault, WatchedClock
from jibsa.testing import smartthings_server as st
from jibsa.testing.smartthings_server import SmartThingsServer
from jibsa.words import say

HOME = """
id: t
name: 시험 집
rooms:
  - {id: living, name: 거실}
devices:
  - {id: lamp, name: 거실 스탠드, room: living, type: light}
"""


@pytest.fixture
async def hub(tmp_path: Path) -> AsyncIterator[tuple[Hub, SmartThingsServer]]:
    home = parse_home_text(HOME, "home.yaml").home
    async with SmartThingsServer() as server:
        config = {"token": st.TOKEN, "base_url": server.base_url, "timeout_s": 0.3}
        settings = Settings(data_dir=tmp_path, adapter_settings={"smartthings": config})
        async with await open_home(settings, clock=WatchedClock(), home=home) as running:
            yield running.hub, server


async def test_account_devices_join_their_rooms_and_take_commands(hub: tuple[Hub, SmartThingsServer]) -> None:
    running, server = hub
    light = running.home.device(device_id_for(st.LIGHT))
    assert light is not None and light.room == "living" and light.vendor == "smartthings"
    outcome = await running.execute(Command("turn_on", (light.id,)))
    assert outcome.ok and outcome.results[0].changes == {"power": True}
    assert server.value(st.LIGHT, "switch", "switch") == "on"


async def test_a_hanging_cloud_fails_only_its_device(hub: tuple[Hub, SmartThingsServer]) -> None:
    running, server = hub
    server.faults.fail_next(Fault.HANG, path_contains=f"{st.AIR_CONDITIONER}/commands")
    ac, light = device_id_for(st.AIR_CONDITIONER), device_id_for(st.LIGHT)
    outcome = await running.execute(Command("turn_on", (ac, light, "lamp")))
    by_target = {r.target: r for r in outcome.results}
    assert by_target[ac].error is not None and by_target[ac].error.value == "not_answering"
    assert by_target[ac].message == ""  # the hub keeps the fact; the reader's language words it
    assert say(by_target[ac].said, "ko").startswith("거실 에어컨에서 ")
    assert say(by_target[ac].said, "en").startswith("No answer from 거실 에어컨 for ")
    assert by_target[light].ok and by_target["lamp"].ok
