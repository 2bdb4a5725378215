"""Scoring parser output against expected commands, the way /work/shared/tools/score_parse.py does:
commands with the same intent and params merge into one target set; expected params must be present
and equal; extra params are allowed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from jibsa.domain import DeviceType, Home
from jibsa.nlu import Parser

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
SHARED = REPO / ".." / "shared"


def _norm(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return round(float(value), 3)
    if isinstance(value, str):
        text = value.strip().lower()
        if len(text) in (4, 5) and ":" in text:
            hour, _, minute = text.partition(":")
            if hour.isdigit() and minute.isdigit():
                return f"{int(hour):02d}:{int(minute):02d}"
        try:
            return round(float(text), 3)
        except ValueError:
            return text
    return value


def _groups(commands: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    out: dict[tuple[Any, str], dict[str, Any]] = {}
    for c in commands:
        params = {k: _norm(v) for k, v in (c.get("params") or {}).items() if v is not None}
        key = (c.get("intent"), json.dumps(params, sort_keys=True, ensure_ascii=False))
        group = out.setdefault(key, {"intent": c.get("intent"), "params": params, "targets": set()})
        group["targets"].update(c.get("targets") or [])
    return list(out.values())


def matches(expected: Sequence[dict[str, Any]], actual: Sequence[dict[str, Any]]) -> bool:
    exp, act = _groups(expected), _groups(actual)
    if len(exp) != len(act):
        return False
    used: set[int] = set()
    for e in exp:
        for i, a in enumerate(act):
            if i in used or a["intent"] != e["intent"] or a["targets"] != e["targets"]:
                continue
            if all(k in a["params"] and a["params"][k] == v for k, v in e["params"].items()):
                used.add(i)
                break
        else:
            return False
    return True


def load_items(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(parser: Parser, items: Sequence[dict[str, Any]]) -> tuple[float, list[tuple[dict[str, Any], Any]]]:
    """Accuracy over `items`, and the failures (item, commands given)."""
    failures = []
    for item in items:
        got = parser.parse(item["text"], room=item.get("room"), session=item.get("session")).to_json()["commands"]
        if not any(matches(alt, got) for alt in item["expect"]):
            failures.append((item, got))
    return 1 - len(failures) / len(items), failures


def lights_only_for_light_set(items: Sequence[dict[str, Any]], home: Home) -> list[dict[str, Any]]:
    """Home Assistant's suite as Home Assistant itself reads it: the converter expects HassLightSet on an
    area ("침실 밝기를 50%로") to set brightness or colour on every device there (covers and a switch
    included), but Home Assistant's handler (`light/intent.py`: `ServiceIntentHandler(INTENT_SET, DOMAIN,
    ...)`, DOMAIN = "light") sets only the area's lights, and jibsa never sets a property on a device
    that lacks it (issue 11). Only those expectations change; every other item is kept as converted."""
    lights = {d.id for d in home.devices if d.type is DeviceType.LIGHT}
    out = []
    for item in items:
        if str(item.get("cat", "")).startswith("light_HassLightSet"):
            expect = [
                [{**c, "targets": [t for t in c["targets"] if t in lights]} for c in alt] for alt in item["expect"]
            ]
            out.append({**item, "expect": expect})
        else:
            out.append(item)
    return out
