"""Samsung appliances' powerConsumptionReport (Wh used since installed, W now) and plugs' powerMeter and
energyMeter, read from the SmartThings stand-in as jibsa's `power_w` and `energy_kwh`."""

from __future__ import annotations

import pytest

from jibsa.adapters.smartthings import SmartThingsAdapter
from jibsa.adapters.smartthings.mapping import device_id_for, values_from_status
from jibsa.domain import DeviceType
from jibsa.testing import RecordingSink, WatchedClock
from jibsa.testing import smartthings_server as st
from jibsa.testing.smartthings_server import SmartThingsServer


async def test_an_appliance_reports_its_draw_and_its_count(
    adapter: SmartThingsAdapter, server: SmartThingsServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    server.report_power(st.AIR_CONDITIONER, energy_wh=1_234_500, power_w=850)
    await clock.advance(adapter.settings.poll_s)
    values = sink.states[device_id_for(st.AIR_CONDITIONER)]
    assert (values["energy_kwh"], values["power_w"]) == (1234.5, 850.0)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({"powerMeter": {"power": {"value": 12.5, "unit": "W"}}}, {"power_w": 12.5}),
        ({"energyMeter": {"energy": {"value": 3.25, "unit": "kWh"}}}, {"energy_kwh": 3.25}),
        ({"energyMeter": {"energy": {"value": 3250, "unit": "Wh"}}}, {"energy_kwh": 3.25}),
        ({"energyMeter": {"energy": {"value": 3, "unit": "BTU"}}}, {}),  # a unit it cannot read: left out
    ],
)
def test_a_plug_meters_in_its_own_units(status: dict[str, object], expected: dict[str, float]) -> None:
    values = values_from_status(DeviceType.SWITCH, {"main": {"switch": {"switch": {"value": "on"}}, **status}}, 0.0)
    assert values == {"power": True, **expected}
