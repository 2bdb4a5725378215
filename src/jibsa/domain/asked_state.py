"""Which devices are in the state a question names ("켜진 거 있어?" asks for the devices that are on).

A device without that kind of state is not among them: a door lock is neither on nor off."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The states a question may ask about (a query_state command's `state` parameter).
ASKED_STATES = ("on", "off", "open", "closed", "locked", "unlocked")
_RUNNING = frozenset({"running", "cleaning", "returning"})
_RESTING = frozenset({"docked", "charging"})
_OPENINGS = ("opening", "door", "window", "garage_door")  # a contact sensor's reading: True when open


def in_state(state: Mapping[str, Any], asked: str) -> bool:
    """Whether a device reporting `state` is in the state `asked` (one of ASKED_STATES)."""
    if asked in ("on", "off"):
        on = _is_on(state)
        return on is not None and on == (asked == "on")
    if asked in ("locked", "unlocked"):
        return state.get("lock") == asked
    if asked in ("open", "closed"):
        opened = _is_open(state)
        return opened is not None and opened == (asked == "open")
    raise ValueError(f"not a state a question asks about: {asked!r}")


def _is_on(state: Mapping[str, Any]) -> bool | None:
    """On: powered, or running a cycle. A robot vacuum on its dock (charging) is not on, whatever its power."""
    if state.get("run_state") in _RESTING:
        return False
    if isinstance(state.get("power"), bool):
        return bool(state["power"]) or state.get("run_state") in _RUNNING
    if "run_state" in state:
        return state["run_state"] in _RUNNING
    return None


def _is_open(state: Mapping[str, Any]) -> bool | None:
    """Open: a cover not fully closed, a valve open, a door unlocked ("현관문 열려 있어" means unlocked), a
    contact sensor reading open."""
    if isinstance(state.get("position"), (int, float)):
        return bool(state["position"] > 0)
    if state.get("valve") in ("open", "closed"):
        return bool(state["valve"] == "open")
    if state.get("lock") in ("locked", "unlocked"):
        return bool(state["lock"] == "unlocked")
    readings = [state[key] for key in _OPENINGS if isinstance(state.get(key), bool)]
    return any(readings) if readings else None
