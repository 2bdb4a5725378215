"""Validating a home file's data (already parsed from YAML) into a `Home`.

Every rule of the contract's section 1 is checked here; the first broken rule raises a
`HomeFileError` naming the field path, e.g. ``devices[3].room: no room 'garage'``. Fields this
module does not know are kept out of the model and reported back as warnings, so that newer
files still load in older versions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jibsa.domain.commands import INTENTS
from jibsa.domain.device_types import SENSOR_MEASURES, DeviceType
from jibsa.domain.errors import HomeFileError
from jibsa.domain.home import DEFAULT_CITY, Device, Home, Room, Scene, SceneAction, clean_name
from jibsa.domain.home_energy import energy_settings

ID_PATTERN = re.compile(r"[a-z0-9_]+")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
LANGUAGES = ("ko", "en")
_TOP_KEYS = {"id", "name", "language", "city", "rooms", "devices", "scenes", "energy"}
_ROOM_KEYS = {"id", "name", "aliases"}
_DEVICE_KEYS = {"id", "name", "aliases", "room", "type", "vendor", "measures", "maker", "options"}
_SCENE_KEYS = {"id", "name", "name_en", "aliases", "actions"}
_ACTION_KEYS = {"intent", "targets", "params"}
# Every problem a home file can have, by code, in English: the error's own text (jibsa.words.home_file says
# it to people, from the catalogue's home_file section, in Korean or English).
PROBLEMS: Mapping[str, str] = {
    "not_mapping": "expected a mapping, got {kind}",
    "not_list": "expected a list, got {kind}",
    "required": "is required",
    "not_text": "expected text, got {kind}",
    "empty": "must not be empty",
    "bad_id": "'{id}' must use only a-z, 0-9 and _",
    "empty_alias": "expected a non-empty name",
    "unknown_field": "unknown field, ignored",
    "empty_file": "the file is empty",
    "bad_language": "'{language}' is not one of {languages}",
    "duplicate_id": "'{id}' is already used by {other}",
    "unknown_type": "unknown type '{type}'",
    "no_room": "no room '{room}'",
    "measures_not_sensor": "only sensors have measures",
    "sensor_without_measures": "a sensor must list what it measures",
    "unknown_measure": "unknown measure '{measure}'",
    "unknown_intent": "unknown intent '{intent}'",
    "no_device": "no device '{device}'",
    "bad_reading_day": "{value!r} is not a meter-reading day (1–31, or 말일 for the month's last day)",
    "bad_voltage": "{value!r} is not a voltage (low/저압 or high/고압)",
    "unknown_tariff": "no tariff '{tariff}' (jibsa has {tariffs})",
    "not_english": "'{name}' has Korean letters: this is the name English replies use",
}
KINDS: Mapping[str, str] = {
    "nothing": "nothing",
    "mapping": "a mapping",
    "list": "a list",
    "text": "text",
    "bool": "true/false",
    "number": "a number",
}


@dataclass(frozen=True, slots=True)
class LoadedHome:
    home: Home
    warnings: tuple[HomeFileError, ...]  # what was ignored (unknown fields), each naming file and field


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[HomeFileError] = []

    def fail(self, path: str, code: str, **values: Any) -> HomeFileError:
        english = PROBLEMS[code].format(**{k: KINDS.get(v, v) if k == "kind" else v for k, v in values.items()})
        return HomeFileError(self.source, path, english, code, values)

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "not_mapping", kind=_kind(value))
        return value

    def sequence(self, value: Any, path: str) -> Sequence[Any]:
        if value is None:
            return ()
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise self.fail(path, "not_list", kind=_kind(value))
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(f"{path}.{key}" if path else key, "required")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(f"{path}.{key}" if path else key, "not_text", kind=_kind(value))
        text = clean_name(str(value))
        if required and not text:
            raise self.fail(f"{path}.{key}" if path else key, "empty")
        return text

    def identifier(self, data: Mapping[str, Any], path: str) -> str:
        ident = self.text(data, "id", path, required=True)
        assert ident is not None
        if not ID_PATTERN.fullmatch(ident):
            raise self.fail(f"{path}.id", "bad_id", id=ident)
        return ident

    def aliases(self, data: Mapping[str, Any], path: str) -> tuple[str, ...]:
        raw = data.get("aliases")
        if isinstance(raw, str):
            raw = [raw]
        out: list[str] = []
        for i, alias in enumerate(self.sequence(raw, f"{path}.aliases")):
            if not isinstance(alias, (str, int)) or isinstance(alias, bool) or not clean_name(str(alias)):
                raise self.fail(f"{path}.aliases[{i}]", "empty_alias")
            out.append(clean_name(str(alias)))
        return tuple(out)

    def unknown_keys(self, data: Mapping[str, Any], allowed: set[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                self.warnings.append(self.fail(where, "unknown_field"))


def _kind(value: Any) -> str:
    """What a value is, as a code of KINDS (or its Python type's name)."""
    if value is None:
        return "nothing"
    return {dict: "mapping", list: "list", str: "text", bool: "bool", int: "number", float: "number"}.get(
        type(value), type(value).__name__
    )


def home_from_mapping(data: Any, source: str = "home.yaml") -> LoadedHome:
    """Validate parsed home-file data; raises `HomeFileError` on the first broken rule."""
    check = _Checker(source)
    if data is None:
        raise check.fail("", "empty_file")
    top = check.mapping(data, "(top level)")
    check.unknown_keys(top, _TOP_KEYS, "")
    language = check.text(top, "language", "", required=False) or "ko"
    if language not in LANGUAGES:
        raise check.fail("language", "bad_language", language=language, languages=", ".join(LANGUAGES))
    rooms = _rooms(check, top.get("rooms"))
    devices = _devices(check, top.get("devices"), {r.id for r in rooms})
    scenes = _scenes(check, top.get("scenes"), {d.id for d in devices})
    home_id = check.text(top, "id", "", required=False) or "home"
    if not ID_PATTERN.fullmatch(home_id):
        raise check.fail("id", "bad_id", id=home_id)
    home = Home(
        name=check.text(top, "name", "", required=False) or "jibsa",
        rooms=rooms,
        devices=devices,
        scenes=scenes,
        id=home_id,
        language=language,
        city=check.text(top, "city", "", required=False) or DEFAULT_CITY,
        energy=energy_settings(check, top.get("energy"), {d.id for d in devices}),
    )
    return LoadedHome(home, tuple(check.warnings))


def _entries(
    check: _Checker, raw: Any, section: str, allowed: set[str]
) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """Each entry of a list section as (path, data, id), with unique, well-formed ids."""
    seen: dict[str, int] = {}
    for i, item in enumerate(check.sequence(raw, section)):
        path = f"{section}[{i}]"
        data = check.mapping(item, path)
        check.unknown_keys(data, allowed, path)
        ident = check.identifier(data, path)
        if ident in seen:
            raise check.fail(f"{path}.id", "duplicate_id", id=ident, other=f"{section}[{seen[ident]}]")
        seen[ident] = i
        yield path, data, ident


def _name(check: _Checker, data: Mapping[str, Any], path: str) -> str:
    name = check.text(data, "name", path, required=True)
    assert name is not None
    return name


def _rooms(check: _Checker, raw: Any) -> tuple[Room, ...]:
    return tuple(
        Room(room_id, _name(check, data, path), check.aliases(data, path))
        for path, data, room_id in _entries(check, raw, "rooms", _ROOM_KEYS)
    )


def _devices(check: _Checker, raw: Any, room_ids: set[str]) -> tuple[Device, ...]:
    return tuple(
        _device(check, data, path, device_id, room_ids)
        for path, data, device_id in _entries(check, raw, "devices", _DEVICE_KEYS)
    )


def _device(check: _Checker, data: Mapping[str, Any], path: str, device_id: str, room_ids: set[str]) -> Device:
    name = _name(check, data, path)
    type_name = check.text(data, "type", path, required=True)
    assert type_name is not None
    try:
        kind = DeviceType(type_name)
    except ValueError:
        raise check.fail(f"{path}.type", "unknown_type", type=type_name) from None
    room = check.text(data, "room", path, required=False)
    if room is not None and room not in room_ids:
        raise check.fail(f"{path}.room", "no_room", room=room)
    measures = tuple(str(m) for m in check.sequence(data.get("measures"), f"{path}.measures"))
    if measures and kind is not DeviceType.SENSOR:
        raise check.fail(f"{path}.measures", "measures_not_sensor")
    if kind is DeviceType.SENSOR and not measures:
        raise check.fail(f"{path}.measures", "sensor_without_measures")
    for j, measure in enumerate(measures):
        if measure not in SENSOR_MEASURES:
            raise check.fail(f"{path}.measures[{j}]", "unknown_measure", measure=measure)
    options = data.get("options") or {}
    check.mapping(options, f"{path}.options")
    return Device(
        id=device_id,
        name=name,
        type=kind,
        room=room,
        aliases=check.aliases(data, path),
        vendor=check.text(data, "vendor", path, required=False) or "sim",
        measures=tuple(dict.fromkeys(measures)),
        maker=check.text(data, "maker", path, required=False) or "",
        options=dict(options),
    )


def _scenes(check: _Checker, raw: Any, device_ids: set[str]) -> tuple[Scene, ...]:
    scenes: list[Scene] = []
    for path, data, scene_id in _entries(check, raw, "scenes", _SCENE_KEYS):
        name = _name(check, data, path)
        actions = tuple(
            _action(check, a, f"{path}.actions[{j}]", device_ids)
            for j, a in enumerate(check.sequence(data.get("actions"), f"{path}.actions"))
        )
        scenes.append(Scene(scene_id, name, check.aliases(data, path), actions, _english_name(check, data, path)))
    return tuple(scenes)


def _english_name(check: _Checker, data: Mapping[str, Any], path: str) -> str | None:
    """`name_en`, the name English replies use ("away mode"): optional, but never empty nor Korean."""
    name = check.text(data, "name_en", path, required=False)
    if name is None:
        return None
    if not name:
        raise check.fail(f"{path}.name_en", "empty")
    if _HANGUL.search(name):
        raise check.fail(f"{path}.name_en", "not_english", name=name)
    return name


def _action(check: _Checker, raw: Any, path: str, device_ids: set[str]) -> SceneAction:
    data = check.mapping(raw, path)
    check.unknown_keys(data, _ACTION_KEYS, path)
    intent = check.text(data, "intent", path, required=True)
    assert intent is not None
    if intent not in INTENTS:
        raise check.fail(f"{path}.intent", "unknown_intent", intent=intent)
    targets = data.get("targets")
    if isinstance(targets, str):
        targets = [targets]
    target_ids = tuple(str(t) for t in check.sequence(targets, f"{path}.targets"))
    for k, target in enumerate(target_ids):
        if target not in device_ids:
            raise check.fail(f"{path}.targets[{k}]", "no_device", device=target)
    params = check.mapping(data.get("params") or {}, f"{path}.params")
    return SceneAction(intent, target_ids, dict(params))
