"""One gate (issue 20): every entrance is listed here, each is held by the import-linter contract "one
gate" in pyproject.toml, and no module outside the gate holds a conversation or carries out a command
on the hub except the ones named below with the reason."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "jibsa"

# Every way in, with what it serves. A new entrance is a line here, and in the contract.
ENTRANCES = {
    "jibsa.api.routes_conversation": "POST /api/conversation",
    "jibsa.api.routes_devices": "POST /api/devices/{id}/commands",
    "jibsa.api.routes_home": "POST /api/scenes/{id}/run, DELETE /api/jobs/{id}",
    "jibsa.api.routes_rules": "/api/rules, /api/presence",
    "jibsa.api.routes_events": "WS /api/events",
    "jibsa.api.routes_voice": "WS /api/voice",
    "jibsa.api.routes_local": "jibsa say/chat through a running server",
    "jibsa.voice.wyoming_server": "Wyoming (jibsa voice serve)",
    "jibsa.cli.say_cmd": "jibsa say/chat running the home",
    "jibsa.cli.voice_cmd": "jibsa say --audio, jibsa voice serve",
}
# Who may call the hub's `execute` or a conversation's `handle` besides the gate, and why.
BELOW_THE_GATE = {
    "jibsa.gate.gate": "the gate itself",
    "jibsa.conversation": "carries out what the gate handed it",
    "jibsa.rules.runner": "a rule firing, as its maker (the hub's policy applies)",
    "jibsa.skills.partner": "a partner skill's guarded view of the hub",
    "jibsa.adapters.mqtt.hub_announcer": "Home Assistant's MQTT commands, as a member (the hub's policy applies)",
}


def _module(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _carries_out(tree: ast.AST) -> list[str]:
    """Calls such as `hub.execute(…)`, `….execute_all(…)`, `conversation.handle(…)`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = ast.unparse(node.func.value)
            name = node.func.attr
            if (name in ("execute", "execute_all") and "hub" in receiver) or (
                name == "handle" and "conversation" in receiver
            ):
                found.append(f"{receiver}.{name}")
    return found


def test_every_entrance_is_held_by_the_gate_contract() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [gate] = [c for c in contracts if c["name"].startswith("one gate")]
    assert set(ENTRANCES) <= set(gate["source_modules"])
    assert {"jibsa.conversation", "jibsa.confirmations", "jibsa.hub.hub"} <= set(gate["forbidden_modules"])
    for module in ENTRANCES:
        assert (SOURCE.parent / (module.replace(".", "/") + ".py")).is_file(), module


def test_only_the_gate_carries_out_what_an_entrance_was_asked() -> None:
    outside = {}
    for path in SOURCE.rglob("*.py"):
        module = _module(path)
        if module.startswith("jibsa.hub.") or module in BELOW_THE_GATE:
            continue
        calls = _carries_out(ast.parse(path.read_text(encoding="utf-8")))
        if calls:
            outside[module] = calls
    assert outside == {}, f"reaches the hub or a conversation outside jibsa.gate: {outside}"


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scan is not vacuous: the gate and the modules below it are found by it."""
    for module in ("jibsa.gate.gate", "jibsa.rules.runner", "jibsa.conversation"):
        path = SOURCE.parent / (module.replace(".", "/") + ".py")
        assert _carries_out(ast.parse(path.read_text(encoding="utf-8"))), module
