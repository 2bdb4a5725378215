"""One temperature and one humidity per simulated room: the thermometer, the air conditioner and the
humidifier of a room read the same air, whatever their saved states said."""

from __future__ import annotations

from sim_support import RecordingSink, make_device

from jibsa.adapters.sim import SimAdapter, create_adapter
from jibsa.domain import DeviceAction, Home, Room
from jibsa.hub.adapter import AdapterContext
from jibsa.hub.clock import ManualClock

DEVICES = (
    make_device("air_conditioner", "living_ac", room="living"),
    make_device("sensor", "living_thermo", room="living", measures=("temperature", "humidity")),
    make_device("sensor", "kids_thermo", room="kids", measures=("temperature",)),
    make_device("humidifier", "kids_humidifier", room="kids"),
    make_device("sensor", "kids_hygro", room="kids", measures=("humidity",)),
)
# As a home that ran before this fix would have saved them: every device with its own reading.
SAVED = {
    "living_ac": {"current_temperature": 27.5, "_current": 27.5},
    "living_thermo": {"temperature": 24.5, "humidity": 45},
    "kids_thermo": {"temperature": 23.0},
    "kids_hygro": {"humidity": 38.0},
}


async def started(sink: RecordingSink) -> tuple[SimAdapter, ManualClock]:
    home = Home("시험 집", (Room("living", "거실"), Room("kids", "아이방")), DEVICES)
    clock = ManualClock()
    adapter = create_adapter(AdapterContext(home, clock, SAVED, {}))
    await adapter.start(home.devices, sink)
    return adapter, clock


async def test_a_room_starts_with_one_temperature_whatever_was_saved(sink: RecordingSink) -> None:
    await started(sink)
    assert sink.states["living_thermo"]["temperature"] == sink.states["living_ac"]["current_temperature"]
    assert sink.states["kids_hygro"]["humidity"] == sink.states["kids_humidifier"]["current_humidity"]
    assert sink.states["kids_thermo"]["temperature"] == 23.0  # no climate device there: its own reading


async def test_the_thermometer_follows_the_air_conditioner_cooling_its_room(sink: RecordingSink) -> None:
    adapter, clock = await started(sink)
    before = sink.states["living_thermo"]["temperature"]
    await adapter.send(DeviceAction("living_ac", "set", "temperature", 20))
    await clock.advance(30 * 60)
    cooled = sink.states["living_ac"]["current_temperature"]
    assert cooled < before - 2
    assert sink.states["living_thermo"]["temperature"] == cooled
    assert sink.states["kids_thermo"]["temperature"] != cooled  # another room, other air


async def test_sensor_drift_does_not_part_a_thermometer_from_its_room(sink: RecordingSink) -> None:
    _, clock = await started(sink)
    await clock.advance(3 * 3600)  # three hours of once-a-minute drift
    assert sink.states["living_thermo"]["temperature"] == sink.states["living_ac"]["current_temperature"]
    assert sink.states["living_thermo"]["humidity"] != 45  # the room's humidity has no leader: it still drifts


async def test_the_humidifier_and_the_hygrometer_share_the_room_humidity(sink: RecordingSink) -> None:
    adapter, clock = await started(sink)
    await adapter.send(DeviceAction("kids_humidifier", "turn_on"))
    await clock.advance(20 * 60)
    assert sink.states["kids_humidifier"]["current_humidity"] > SAVED["kids_hygro"]["humidity"]
    assert sink.states["kids_hygro"]["humidity"] == sink.states["kids_humidifier"]["current_humidity"]


async def test_the_device_working_on_the_room_leads_and_a_command_can_hand_over(sink: RecordingSink) -> None:
    devices = (make_device("air_conditioner", "ac", room="study"), make_device("thermostat", "heating", room="study"))
    home = Home("시험 집", (Room("study", "서재"),), devices)
    clock = ManualClock()
    adapter = create_adapter(AdapterContext(home, clock, {}, {}))
    await adapter.start(home.devices, sink)
    await clock.advance(3600)  # the air conditioner is off: the heating (on out of the box) warms the room
    warmed = sink.states["heating"]["current_temperature"]
    assert sink.states["ac"]["current_temperature"] == warmed
    await adapter.send(DeviceAction("ac", "set", "temperature", 18))  # on, cooling: it leads now
    await clock.advance(3600)
    assert sink.states["ac"]["current_temperature"] < warmed - 2
    assert sink.states["heating"]["current_temperature"] == sink.states["ac"]["current_temperature"]
