"""A state change reaches only the rules that watch its device and property: counted, not timed. A home
with no rules hands a state change to no watcher; a rule still fires when its own device changes."""

from __future__ import annotations

from tests_rules_support import add_rule, engine_of

from jibsa.app import RunningHome
from jibsa.domain import StateChanged
from jibsa.rules.presence import PresenceChanged
from jibsa.rules.triggers.state import ValueWatcher

DEHUMIDIFY = {
    "name": "dehumidify",
    "when": {"kind": "state", "device": "thermo", "property": "humidity", "above": 70},
    "do": [{"kind": "command", "intent": "turn_on", "targets": ["dehumidifier"]}],
}


def _value_watchers(running: RunningHome) -> list[ValueWatcher]:
    engine = engine_of(running)
    return [w for w in engine._watchers.values() if isinstance(w, ValueWatcher)]


def _examined(running: RunningHome) -> int:
    return sum(w.examined for w in _value_watchers(running))


async def test_a_home_with_no_rules_hands_a_state_change_to_no_watcher(running: RunningHome) -> None:
    engine = engine_of(running)
    assert engine.rules == {}
    assert engine.watchers_for(StateChanged) == ()
    assert engine.watchers_for(PresenceChanged) == ()
    running.hub.states.report("thermo", {"humidity": 75})
    running.hub.states.report("thermo", {"humidity": 40})
    assert _examined(running) == 0


async def test_a_state_rule_sees_only_its_own_devices_changes_and_still_fires(running: RunningHome) -> None:
    await add_rule(running, DEHUMIDIFY)
    engine = engine_of(running)
    routed = engine.watchers_for(StateChanged)
    assert len(routed) == 1 and isinstance(routed[0], ValueWatcher)  # the state kind's, not "finished"'s
    assert engine.watchers_for(PresenceChanged) == ()  # no presence rule: nobody is handed arrivals
    states = running.hub.states
    for value in (21.0, 22.0, 23.0):
        states.report("thermo", {"temperature": value})  # the rule's device, another property
    assert _examined(running) == 0
    states.report("thermo", {"humidity": 65})
    states.report("thermo", {"humidity": 72})
    assert _examined(running) == 2
    await engine.settled()
    assert running.hub.state("dehumidifier")["power"] is True


async def test_removing_the_last_rule_stops_the_state_changes_reaching_the_rules(running: RunningHome) -> None:
    rule = await add_rule(running, DEHUMIDIFY)
    engine = engine_of(running)
    assert engine.watchers_for(StateChanged) != ()
    await engine.remove(rule.id)
    assert engine.watchers_for(StateChanged) == ()
    running.hub.states.report("thermo", {"humidity": 90})
    assert _examined(running) == 0
    assert running.hub.state("dehumidifier")["power"] is False
