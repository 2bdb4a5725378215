"""Which simulator plays which device type."""

from __future__ import annotations

from collections.abc import Mapping

from jibsa.domain import DeviceType

from . import models_appliance as appliance
from . import models_climate as climate
from . import models_cover as cover
from . import models_simple as simple
from .base import Simulator
from .models_fridge import REFRIGERATOR
from .models_sensor import SENSOR
from .models_vacuum import ROBOT_VACUUM

SIMULATORS: Mapping[DeviceType, Simulator] = {
    DeviceType.LIGHT: simple.LIGHT,
    DeviceType.SWITCH: simple.SWITCH,
    DeviceType.FAN: simple.FAN,
    DeviceType.TV: simple.TV,
    DeviceType.SPEAKER: simple.SPEAKER,
    DeviceType.DOOR_LOCK: simple.DoorLockSimulator(),
    DeviceType.GAS_VALVE: simple.GasValveSimulator(),
    DeviceType.AIR_CONDITIONER: climate.AIR_CONDITIONER,
    DeviceType.BOILER: climate.BOILER,
    DeviceType.THERMOSTAT: climate.THERMOSTAT,
    DeviceType.HUMIDIFIER: climate.HUMIDIFIER,
    DeviceType.DEHUMIDIFIER: climate.DEHUMIDIFIER,
    DeviceType.AIR_PURIFIER: climate.AIR_PURIFIER,
    DeviceType.WASHER: appliance.WASHER,
    DeviceType.DRYER: appliance.DRYER,
    DeviceType.DISHWASHER: appliance.DISHWASHER,
    DeviceType.REFRIGERATOR: REFRIGERATOR,
    DeviceType.ROBOT_VACUUM: ROBOT_VACUUM,
    DeviceType.CURTAIN: cover.CURTAIN,
    DeviceType.BLIND: cover.BLIND,
    DeviceType.WINDOW: cover.WINDOW,
    DeviceType.GARAGE_DOOR: cover.GARAGE_DOOR,
    DeviceType.SENSOR: SENSOR,
}


def simulator_for(kind: DeviceType) -> Simulator:
    """The simulator of a device type (every type has one)."""
    return SIMULATORS[kind]
