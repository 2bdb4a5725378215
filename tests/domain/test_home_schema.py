"""Every rule of the home file (contract section 1) refuses a bad file with file, field path and problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jibsa.domain import DeviceType, HomeFileError, JibsaError
from jibsa.home_file import load_home, parse_home_text

GOOD = {
    "name": "우리 집",
    "rooms": [{"id": "living", "name": "거실"}, {"id": "bedroom", "name": "안방"}],
    "devices": [
        {"id": "lamp", "name": "거실 스탠드", "room": "living", "type": "light"},
        {"id": "thermo", "name": "온습도계", "room": "bedroom", "type": "sensor", "measures": ["temperature"]},
    ],
    "scenes": [{"id": "night", "name": "취침", "actions": [{"intent": "turn_off", "targets": ["lamp"]}]}],
}


def refused(data: object) -> str:
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    with pytest.raises(HomeFileError) as caught:
        parse_home_text(text, "home.yaml")
    return str(caught.value)


def changed(path: str, value: object) -> dict:
    """GOOD with one field replaced; path like "devices.0.room"."""
    data = yaml.safe_load(yaml.safe_dump(GOOD, allow_unicode=True))
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    if value is KeyError:
        del node[int(last) if last.isdigit() else last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return data


def test_good_file_loads() -> None:
    loaded = parse_home_text(yaml.safe_dump(GOOD, allow_unicode=True), "home.yaml")
    assert loaded.home.device("lamp").type is DeviceType.LIGHT
    assert loaded.home.summary() == "우리 집: 2 rooms, 2 devices, 1 scenes"
    assert loaded.warnings == ()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("", "home.yaml: the file is empty"),
        ("- a\n- b\n", "home.yaml: (top level): expected a mapping, got a list"),
        ("rooms: [\n", "home.yaml: line 2, column 1: not valid YAML"),
        (changed("rooms", "거실"), "home.yaml: rooms: expected a list, got text"),
        (changed("rooms.0", "거실"), "home.yaml: rooms[0]: expected a mapping, got text"),
        (changed("rooms.0.id", KeyError), "home.yaml: rooms[0].id: is required"),
        (changed("rooms.0.id", "Living Room"), "home.yaml: rooms[0].id: 'Living Room' must use only a-z, 0-9 and _"),
        (changed("rooms.1.id", "living"), "home.yaml: rooms[1].id: 'living' is already used by rooms[0]"),
        (changed("rooms.0.name", KeyError), "home.yaml: rooms[0].name: is required"),
        (changed("rooms.0.name", "  "), "home.yaml: rooms[0].name: must not be empty"),
        (changed("rooms.0.aliases", [None]), "home.yaml: rooms[0].aliases[0]: expected a non-empty name"),
        (changed("devices.0.id", KeyError), "home.yaml: devices[0].id: is required"),
        (changed("devices.1.id", "lamp"), "home.yaml: devices[1].id: 'lamp' is already used by devices[0]"),
        (changed("devices.0.id", "거실등"), "home.yaml: devices[0].id: '거실등' must use only a-z, 0-9 and _"),
        (changed("devices.0.name", KeyError), "home.yaml: devices[0].name: is required"),
        (changed("devices.0.type", KeyError), "home.yaml: devices[0].type: is required"),
        (changed("devices.0.type", "lava_lamp"), "home.yaml: devices[0].type: unknown type 'lava_lamp'"),
        (changed("devices.0.room", "garage"), "home.yaml: devices[0].room: no room 'garage'"),
        (changed("devices.0.measures", ["temp"]), "home.yaml: devices[0].measures: only sensors have measures"),
        (
            changed("devices.1.measures", KeyError),
            "home.yaml: devices[1].measures: a sensor must list what it measures",
        ),
        (changed("devices.1.measures", ["mood"]), "home.yaml: devices[1].measures[0]: unknown measure 'mood'"),
        (changed("devices.0.options", [1]), "home.yaml: devices[0].options: expected a mapping, got a list"),
        (changed("scenes.0.id", KeyError), "home.yaml: scenes[0].id: is required"),
        (changed("scenes.0.name", KeyError), "home.yaml: scenes[0].name: is required"),
        (changed("scenes.0.actions.0.intent", "hop"), "home.yaml: scenes[0].actions[0].intent: unknown intent 'hop'"),
        (changed("scenes.0.actions.0.targets", ["tv"]), "home.yaml: scenes[0].actions[0].targets[0]: no device 'tv'"),
        (changed("language", "jp"), "home.yaml: language: 'jp' is not one of ko, en"),
        (changed("name", ["a"]), "home.yaml: name: expected text, got a list"),
    ],
)
def test_each_rule_refuses_with_file_field_and_problem(data: object, expected: str) -> None:
    assert refused(data).startswith(expected)


def test_duplicate_scene_ids_are_refused() -> None:
    data = changed("scenes", [{"id": "a", "name": "가"}, {"id": "a", "name": "나"}])
    assert refused(data) == "home.yaml: scenes[1].id: 'a' is already used by scenes[0]"


def test_unknown_fields_load_with_a_warning() -> None:
    loaded = parse_home_text(yaml.safe_dump(changed("devices.0.colour", "red"), allow_unicode=True), "home.yaml")
    assert [str(w) for w in loaded.warnings] == ["home.yaml: devices[0].colour: unknown field, ignored"]


def test_missing_and_undecodable_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(HomeFileError, match=r"nothere\.yaml: no such file"):
        load_home(tmp_path / "nothere.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(HomeFileError, match=r"bad\.yaml: is not UTF-8 text"):
        load_home(bad)


def test_sample_home_is_valid_and_as_described() -> None:
    home = load_home(None).home
    assert len(home.rooms) == 7 and 25 <= len(home.devices) <= 32
    types = {d.type for d in home.devices}
    for needed in (
        "light",
        "door_lock",
        "gas_valve",
        "washer",
        "dryer",
        "robot_vacuum",
        "air_conditioner",
        "boiler",
        "curtain",
        "air_purifier",
        "tv",
        "sensor",
    ):
        assert DeviceType(needed) in types
    assert all(home.devices_of_type(DeviceType.LIGHT, room.id) for room in home.rooms)
    assert len({d.maker for d in home.devices}) >= 5


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=20,
    )
)
def test_any_yaml_document_either_loads_or_is_refused_cleanly(document: object) -> None:
    try:
        parse_home_text(yaml.safe_dump(document, allow_unicode=True), "fuzz.yaml")
    except JibsaError as exc:
        assert str(exc).startswith("fuzz.yaml: ")


def test_cli_check_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "home.yaml"
    bad.write_text(yaml.safe_dump(changed("devices.0.room", "garage"), allow_unicode=True), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "jibsa.cli.main", "home", "check", str(bad), "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert run.stdout.strip().splitlines() == [f"{bad}: devices[0].room: no room 'garage'"]
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(GOOD, allow_unicode=True), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "jibsa.cli.main", "home", "check", str(good), "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0 and run.stdout.strip() == f"{good}: ok: 우리 집: 2 rooms, 2 devices, 1 scenes"
