"""The home model, device types, commands and results: pure values, no I/O."""

from jibsa.domain.actions import DeviceAction, Plan, Refusal, plan_action
from jibsa.domain.commands import INTENTS, Command, CommandFormatError
from jibsa.domain.device_types import DeviceType, PropertySpec, TypeSpec, ValueKind, type_spec
from jibsa.domain.errors import HomeFileError, JibsaError
from jibsa.domain.home import Device, Home, Room, Scene, SceneAction
from jibsa.domain.home_schema import LoadedHome, home_from_mapping
from jibsa.domain.policy import Role, needs_confirmation, refusal_for_role
from jibsa.domain.results import AvailabilityChanged, Clamp, Delivery, ErrorCode, StateChanged, TargetResult

__all__ = [
    "INTENTS",
    "AvailabilityChanged",
    "Clamp",
    "Command",
    "CommandFormatError",
    "Delivery",
    "Device",
    "DeviceAction",
    "DeviceType",
    "ErrorCode",
    "Home",
    "HomeFileError",
    "JibsaError",
    "LoadedHome",
    "Plan",
    "PropertySpec",
    "Refusal",
    "Role",
    "Room",
    "Scene",
    "SceneAction",
    "StateChanged",
    "TargetResult",
    "TypeSpec",
    "ValueKind",
    "home_from_mapping",
    "needs_confirmation",
    "plan_action",
    "refusal_for_role",
    "type_spec",
]  # fmt: skip
