"""Home Assistant's matcher (hassil + home_assistant_intents' Korean sentences) over a jibsa home file,
with its results turned into jibsa commands the way Home Assistant resolves slots (name, area, domain,
device_class). Used by parse_bench.py; run as a script it serves lines like `jibsa parse` does."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hassil import Intents, recognize
from hassil.intents import TextSlotList
from home_assistant_intents import get_intents

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jibsa.domain import Device, DeviceType, Home
from jibsa.home_file import load_home

_DOMAIN = {
    DeviceType.LIGHT: "light", DeviceType.SWITCH: "switch", DeviceType.FAN: "fan", DeviceType.THERMOSTAT: "climate",
    DeviceType.AIR_CONDITIONER: "climate", DeviceType.BOILER: "climate", DeviceType.CURTAIN: "cover",
    DeviceType.BLIND: "cover", DeviceType.WINDOW: "cover", DeviceType.GARAGE_DOOR: "cover",
    DeviceType.DOOR_LOCK: "lock", DeviceType.TV: "media_player", DeviceType.SPEAKER: "media_player",
    DeviceType.ROBOT_VACUUM: "vacuum", DeviceType.AIR_PURIFIER: "fan", DeviceType.HUMIDIFIER: "humidifier",
    DeviceType.DEHUMIDIFIER: "humidifier", DeviceType.GAS_VALVE: "valve",
}  # fmt: skip
_COVER_CLASS = {DeviceType.CURTAIN: "curtain", DeviceType.BLIND: "blind", DeviceType.WINDOW: "window",
                DeviceType.GARAGE_DOOR: "garage"}  # fmt: skip
_READINGS = {"temperature", "humidity", "pm25", "co2", "illuminance", "power", "energy", "battery", "air_quality"}


def _domain(device: Device) -> str:
    if device.type is DeviceType.SENSOR:
        return "sensor" if set(device.measures) <= _READINGS and device.measures else "binary_sensor"
    return _DOMAIN.get(device.type, "switch")


def _classes(device: Device) -> set[str]:
    if device.type in _COVER_CLASS:
        return {_COVER_CLASS[device.type]}
    return set(device.measures)


class HassilMatcher:
    """hassil's `recognize` with slot lists from `home`; `commands` maps a match to jibsa commands."""

    def __init__(self, home: Home) -> None:
        self.home = home
        self.intents = Intents.from_dict(get_intents("ko"))
        names: list[tuple[str, Any, dict[str, Any]]] = []
        for device in home.devices:
            context: dict[str, Any] = {"domain": _domain(device)}
            if _classes(device):
                context["device_class"] = sorted(_classes(device))[0]
            names += [(n, device.id, context) for n in device.names]
        for scene in home.scenes:
            names += [(n, scene.id, {"domain": "scene"}) for n in scene.names]
        areas = [(n, room.id) for room in home.rooms for n in room.names]
        self.slot_lists = {"name": TextSlotList.from_tuples(names), "area": TextSlotList.from_tuples(areas)}

    def commands(self, text: str, room: str | None = None) -> list[dict[str, Any]]:
        context = {"area": room} if room else None
        result = recognize(text, self.intents, slot_lists=self.slot_lists, intent_context=context, language="ko")
        if result is None:
            return []
        slots = {k: v.value for k, v in result.entities.items()}
        return self._convert(result.intent.name, slots)

    def _select(self, slots: dict[str, Any]) -> list[Device]:
        out = list(self.home.devices)
        if slots.get("name") not in (None, "all"):
            out = [d for d in out if d.id == slots["name"]]
        if "domain" in slots:
            domains = slots["domain"] if isinstance(slots["domain"], list) else [slots["domain"]]
            out = [d for d in out if _domain(d) in domains]
        if "device_class" in slots:
            classes = slots["device_class"] if isinstance(slots["device_class"], list) else [slots["device_class"]]
            out = [d for d in out if _classes(d) & set(classes)]
        if "area" in slots:
            out = [d for d in out if d.room == slots["area"]]
        return out

    def _convert(self, intent: str, slots: dict[str, Any]) -> list[dict[str, Any]]:
        simple = {
            "HassGetWeather": "get_weather",
            "HassGetCurrentTime": "get_time",
            "HassGetCurrentDate": "get_date",
            "HassCancelTimer": "cancel_timer",
            "HassTimerStatus": "query_timer",
            "HassNevermind": "cancel",
        }
        if intent in simple:
            return [{"intent": simple[intent], "targets": [], "params": {}}]
        if intent == "HassShoppingListAddItem":
            return [{"intent": "add_item", "targets": [], "params": {"item": str(slots.get("item", "")).strip()}}]
        if intent == "HassStartTimer":
            return [{"intent": "set_timer", "targets": [], "params": {}}]
        if slots.get("name") and self.home.scene(str(slots["name"])) is not None:
            return [{"intent": "run_scene", "targets": [], "params": {"scene": slots["name"]}}]
        if intent.startswith("HassClimate"):
            slots = {**slots, "domain": "climate"}
        targets = sorted(d.id for d in self._select(slots))
        if not targets:
            return []
        return [self._device_command(intent, slots, targets)]

    def _device_command(self, intent: str, slots: dict[str, Any], targets: list[str]) -> dict[str, Any]:
        domains = {_domain(d) for d in self.home.devices if d.id in targets}
        if intent in ("HassTurnOn", "HassTurnOff"):
            on = intent == "HassTurnOn"
            verb = (
                ("open" if on else "close")
                if domains == {"cover"}
                else ("lock" if on else "unlock")
                if domains == {"lock"}
                else ("turn_on" if on else "turn_off")
            )
            return {"intent": verb, "targets": targets, "params": {}}
        params: dict[str, Any] = {}
        name = "query_state"
        if intent == "HassLightSet":
            name = "set"
            params = (
                {"property": "brightness", "value": slots["brightness"]}
                if "brightness" in slots
                else {"property": "color", "value": slots.get("color")}
            )
        elif intent == "HassClimateSetTemperature":
            name, params = "set", {"property": "temperature", "value": slots.get("temperature")}
        elif intent == "HassClimateGetTemperature":
            params = {"property": "temperature"}
        elif intent == "HassSetVolume":
            name, params = "set", {"property": "volume", "value": slots.get("volume_level")}
        elif intent == "HassSetPosition":
            name, params = "set", {"property": "position", "value": slots.get("position")}
        elif intent == "HassVacuumStart":
            name = "start"
        elif intent == "HassVacuumReturnToBase":
            name = "dock"
        return {"intent": name, "targets": targets, "params": params}


def serve(home_path: str) -> None:
    """Answer JSON request lines with JSON command lines, as `jibsa parse` does (for start-up and memory)."""
    matcher = HassilMatcher(load_home(home_path).home)
    for line in sys.stdin:
        request = json.loads(line)
        commands = matcher.commands(request.get("text", ""), request.get("room"))
        print(json.dumps({"text": request.get("text"), "commands": commands}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    serve(sys.argv[1])
