"""The ThinQ adapter as the hub uses it: built from settings, commands carried out with results per
device, a refused token reaching the person in Korean, and the other devices carrying on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jibsa.adapters.thinq import messages as msg
from jibsa.adapters.thinq.mapping import device_id_for
from jibsa.app import Settings, open_home
from jibsa.domain import Command, Delivery, ErrorCode
from jibsa.home_file import parse_home_text
from jibsa.hub import Hub
from jibsa.testing import Fault, WatchedClock
from jibsa.testing import thinq_server as lg
from jibsa.testing.thinq_server import ThinQServer

HOME = f"""
id: t
name: 시험 집
rooms:
  - {{id: living, name: 거실}}
devices:
  - {{id: ac, name: 거실 에어컨, room: living, type: air_conditioner, vendor: thinq,
      options: {{thinq_device_id: "{lg.AIR_CONDITIONER}"}}}}
  - {{id: lamp, name: 거실 스탠드, room: living, type: light}}
"""
CONFIRM_S = 1.5  # how long the hub waits for a device's state to show a command (real time)


@pytest.fixture
def clock() -> WatchedClock:
    return WatchedClock()


@pytest.fixture
async def hub(tmp_path: Path, clock: WatchedClock) -> AsyncIterator[tuple[Hub, ThinQServer]]:
    home = parse_home_text(HOME, "home.yaml").home
    async with ThinQServer() as server:
        settings = Settings(
            data_dir=tmp_path,
            command_timeout=CONFIRM_S,
            adapter_settings={"thinq": {"token": lg.TOKEN, "base_url": server.base_url}},
        )
        async with await open_home(settings, clock=clock, home=home) as running:
            yield running.hub, server


async def test_commands_reach_the_cloud_and_account_devices_join_the_home(hub: tuple[Hub, ThinQServer]) -> None:
    running, server = hub
    assert running.home.device(device_id_for(lg.WASHER)) is not None  # announced from the account
    assert running.state("ac")["mode"] == "cool"
    outcome = await running.execute(Command("set", ("ac",), {"property": "temperature", "value": 22}))
    assert outcome.ok and outcome.results[0].changes == {"temperature": 22}
    assert server.state(lg.AIR_CONDITIONER)["temperature"]["targetTemperature"] == 22


async def test_a_refused_token_is_told_in_korean_and_other_devices_carry_on(hub: tuple[Hub, ThinQServer]) -> None:
    running, server = hub
    server.faults.fail_next(Fault.UNAUTHORIZED, path_contains="/control")
    outcome = await running.execute(Command("turn_on", ("ac", "lamp")))
    by_target = {r.target: r for r in outcome.results}
    assert not by_target["ac"].ok and by_target["ac"].said == msg.THINQ.token_expired
    assert by_target["lamp"].ok


async def test_the_cloud_accepting_a_command_is_not_done_until_the_appliance_shows_it(
    hub: tuple[Hub, ThinQServer],
) -> None:
    running, server = hub
    server.hold_controls()  # the cloud says 200; the air conditioner never gets it
    outcome = await running.execute(Command("set", ("ac",), {"property": "temperature", "value": 22}))
    result = outcome.results[0]
    assert not outcome.ok and result.delivery is Delivery.UNCONFIRMED and result.error is ErrorCode.UNCONFIRMED
    assert running.state("ac")["temperature"] != 22


async def test_an_appliance_that_does_it_a_moment_later_is_read_back_and_confirmed(
    hub: tuple[Hub, ThinQServer], clock: WatchedClock
) -> None:
    running, server = hub
    assert running.state("ac")["power"] is False
    server.hold_controls()
    sleeps = len(clock.sleeps)
    command = asyncio.create_task(running.execute(Command("turn_on", ("ac",))))
    await clock.wait_sleeps(sleeps + 1)  # read at once: not yet; the adapter will read it again in a second
    server.carry_out_held()
    await clock.advance(1.0)
    outcome = await command
    assert outcome.ok and outcome.results[0].delivery is Delivery.DONE
    assert outcome.results[0].changes == {"power": True}
