"""The corpus generator: templates (corpus/templates.yaml) × the words of one home → test items.

`generate(data, home, home_key)` is a pure function: the same data and home give the same items, in the
same order (choices are drawn from a random generator seeded by the template and binding, never by time).
Each item is `{"home", "cat", "text", "room"?, "before"?, "expect", "may_keep"?, "rule"?}`: `expect` lists
the acceptable command lists (the contract's command format), `before` the earlier turns of a session,
`may_keep` that proposing to keep a rule (add_rule) is a right answer, `rule` the rule that should be kept.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from corpus_bind import Binding, HomeWords, load_kinds
from corpus_slots import BINDERS
from corpus_text import fill, transform, with_typo

from jibsa.domain import Home

CORPUS = Path(__file__).resolve().parent / "corpus"
SLOTS = ("t", "a", "b")
_EXACT = re.compile(r"^\{(\w+)\}$")


@dataclass(frozen=True)
class CorpusData:
    templates: Mapping[str, Any]
    words: Mapping[str, Any]
    phrases: Mapping[str, Any]


def load_data(folder: Path = CORPUS) -> CorpusData:
    def read(name: str) -> Mapping[str, Any]:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when PyYAML was built with it
        data: Mapping[str, Any] = yaml.load((folder / name).read_text(encoding="utf-8"), Loader=loader)
        return data

    return CorpusData(read("templates.yaml"), read("words.yaml"), read("phrases.yaml"))


@dataclass(frozen=True)
class _Choice:
    binding: Binding
    verb: str  # the verb's name in words.yaml, or "" for a slot without one


def generate(data: CorpusData, home: Home, home_key: str) -> list[dict[str, Any]]:
    """Every item the templates give for `home`, without repeats of a text said in the same way; a text two
    templates expect different answers of is a mistake in the templates (ValueError)."""
    hw = HomeWords(home, load_kinds(data.words["kinds"]))
    items: list[dict[str, Any]] = []
    seen: dict[str, dict[str, Any]] = {}
    for cat, templates in data.templates["categories"].items():
        for index, template in enumerate(templates):
            for item in _from_template(data, hw, home_key, cat=cat, index=index, template=template):
                key = repr((item["text"], item.get("room"), [t["text"] for t in item.get("before", [])]))
                if key not in seen:
                    seen[key] = item
                    items.append(item)
                elif seen[key]["expect"] != item["expect"]:
                    raise ValueError(
                        f"{home_key}: two templates disagree on {item['text']!r}: "
                        f"{seen[key]['cat']} {seen[key]['expect']}, {cat} {item['expect']}"
                    )
    return items


def _from_template(
    data: CorpusData, hw: HomeWords, home_key: str, *, cat: str, index: int, template: Mapping[str, Any]
) -> list[dict[str, Any]]:
    combos = _combos(data, hw, template)
    rng = random.Random(f"{home_key}/{cat}/{index}")
    limit = template.get("bindings")
    if limit is not None and len(combos) > limit:
        combos = rng.sample(combos, limit)
    items = []
    for combo in combos:
        seed = f"{home_key}/{cat}/{index}/" + "/".join(c.binding.key + c.verb for c in combo.values())
        items += _sentences(data, template, cat, combo, random.Random(seed))
    return items


def _combos(data: CorpusData, hw: HomeWords, template: Mapping[str, Any]) -> list[dict[str, _Choice]]:
    """Every way to fill the template's slots that keeps its constraints between slots."""
    combos: list[dict[str, _Choice]] = [{}]
    for slot in SLOTS:
        if slot not in template:
            continue
        spec = template[slot]
        choices = [
            c
            for b in BINDERS[spec.get("bind", "none")](spec, hw, data.phrases)
            for c in _with_verbs(spec, b, data.words)
        ]
        rules = [(rule, spec[rule]) for rule in _CONSTRAINTS if rule in spec]
        combos = [
            {**combo, slot: c}
            for combo in combos
            for c in choices
            if all(_CONSTRAINTS[rule](c, combo[other]) for rule, other in rules)
        ]
    return combos


def _with_verbs(spec: Mapping[str, Any], binding: Binding, words: Mapping[str, Any]) -> list[_Choice]:
    names = spec.get("verbs")
    if not names:
        return [_Choice(binding, "")]
    out = []
    for name in names:
        allowed = words["verbs"][name].get("types")
        if not allowed or not binding.types or binding.types <= set(allowed):
            out.append(_Choice(binding, name))
    return out


def _fits(choice: _Choice, trigger: _Choice) -> bool:
    """The action suits the condition: its device types are among those the trigger names for its verb
    (phrases.yaml `acts_on`: a room too warm turns an air conditioner on, not a humidifier)."""
    acts_on = trigger.binding.raw.get("acts_on") or {}
    return bool(choice.binding.types) and choice.binding.types <= set(acts_on.get(choice.verb, []))


# Constraints a slot may put on an earlier one (`same_room: a`): the slot's choice, then the other's.
_CONSTRAINTS: Mapping[str, Callable[[_Choice, _Choice], bool]] = {
    "same_room": lambda c, o: c.binding.room is not None and c.binding.room == o.binding.room,
    "other_room": lambda c, o: None not in (c.binding.room, o.binding.room) and c.binding.room != o.binding.room,
    "same_kind": lambda c, o: None not in (c.binding.kind, o.binding.kind) and c.binding.kind == o.binding.kind,
    "other_kind": lambda c, o: not c.binding.types & o.binding.types,
    "other_device": lambda c, o: not set(c.binding.targets) & set(o.binding.targets),
    "same_verb": lambda c, o: c.verb == o.verb,
    "fits": _fits,
}


def _sentences(
    data: CorpusData, template: Mapping[str, Any], cat: str, combo: Mapping[str, _Choice], rng: random.Random
) -> list[dict[str, Any]]:
    raw = _raw(data.words, combo)
    turns = template.get("turns") or [template]
    values = data.words["values"].get(template.get("values", ""), [{}])
    out: list[dict[str, Any]] = []
    texts: set[str] = set()
    for _ in range(4 * template.get("n", 2)):
        if len(out) >= template.get("n", 2):
            break
        value = rng.choice(values)
        fields: dict[str, str] | None = _fields(data.words, template, combo, value, rng)
        if template.get("typo"):
            fields = with_typo(fields, data.phrases["typos"], rng)  # type: ignore[arg-type]
        if fields is None:
            continue
        said = [fill(rng.choice(turn["say"]), fields) for turn in turns]
        said[-1] = transform(said[-1], template, data.phrases, rng)
        if not said[-1] or said[-1] in texts:
            continue
        texts.add(said[-1])
        out.append(_item(template, cat, said, combo, {**raw, **_value_raw(value)}))
    return out


def _fields(
    words: Mapping[str, Any],
    template: Mapping[str, Any],
    combo: Mapping[str, _Choice],
    value: Mapping[str, Any],
    rng: random.Random,
) -> dict[str, str]:
    fields: dict[str, str] = {"value": str(value.get("say", ""))}
    for slot, choice in combo.items():
        suffix = "2" if slot == "b" else ""
        for name, text in choice.binding.text.items():
            fields[name + suffix] = text if isinstance(text, str) else rng.choice(text)
        if choice.verb:
            verb = words["verbs"][choice.verb]
            fields["verb" + suffix] = rng.choice(verb["forms"])
            fields["and" + suffix] = rng.choice(verb.get("and", verb["forms"]))
    for name, verb in template.get("words", {}).items():
        fields[name] = rng.choice(words["verbs"][verb]["forms"])
    return fields


def _raw(words: Mapping[str, Any], combo: Mapping[str, _Choice]) -> dict[str, Any]:
    """What the expectation may refer to: {intent}, {targets}, {direction}, {room_id}, {scene}, {when},
    {every} for slot a (and t), the same with 2 for slot b."""
    raw: dict[str, Any] = {}
    for slot, choice in combo.items():
        suffix = "2" if slot == "b" else ""
        b = choice.binding
        raw.update({k + suffix: v for k, v in b.raw.items()})
        raw["targets" + suffix] = list(b.targets)
        if choice.verb:
            verb = words["verbs"][choice.verb]
            raw["intent" + suffix] = _intent(verb.get("intent"), b)
            raw["direction" + suffix] = verb.get("direction")
    return raw


def _intent(intent: Any, binding: Binding) -> Any:
    if isinstance(intent, Mapping):
        found = {intent[t.value] for t in binding.types}
        if len(found) != 1:
            raise ValueError(f"verb intent {intent} is not one intent for {sorted(binding.types)}")
        return found.pop()
    return intent


def _value_raw(value: Mapping[str, Any]) -> dict[str, Any]:
    return {"value": value.get("value"), "value_params": dict(value.get("params", {}))}


def _item(
    template: Mapping[str, Any], cat: str, said: Sequence[str], combo: Mapping[str, _Choice], raw: Mapping[str, Any]
) -> dict[str, Any]:
    turns = template.get("turns") or [template]
    asking = any(c.binding.asks for c in combo.values())
    asks = asking and "turns" not in template
    rooms = [c.binding.request_room for c in combo.values() if c.binding.request_room]
    expects: list[list[list[dict[str, Any]]]] = [[[]] if asks else _expect(turn, raw) for turn in turns]
    item: dict[str, Any] = {"cat": cat, "text": said[-1], "expect": expects[-1]}
    if rooms:
        item["room"] = rooms[0]
    if len(turns) > 1:
        item["before"] = [{"text": t, "expect": e} for t, e in zip(said[:-1], expects[:-1], strict=True)]
    if template.get("may_keep"):
        item["may_keep"] = True
        if "rule" in template and raw.get("when") is not None and not asking:
            item["rule"] = _resolve(template["rule"], raw)
    if asks:
        item["asks"] = True
    return item


def _expect(turn: Mapping[str, Any], raw: Mapping[str, Any]) -> list[list[dict[str, Any]]]:
    if "expect_any" in turn:
        alternatives = [[_command(c, raw) for c in alt] for alt in turn["expect_any"]]
    elif turn.get("expect", "nothing") == "nothing":
        alternatives = [[]]
    else:
        alternatives = [[_command(c, raw) for c in turn["expect"]]]
    if turn.get("accept_nothing"):
        alternatives.append([])
    return alternatives


def _command(spec: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    params = {k: _resolve(v, raw) for k, v in spec.get("params", {}).items()}
    if "with" in spec:
        params.update(raw[spec["with"]])
    return {
        "intent": _resolve(spec["intent"], raw),
        "targets": sorted(_resolve(spec.get("targets", []), raw)),
        "params": params,
    }


def _resolve(spec: Any, raw: Mapping[str, Any]) -> Any:
    if isinstance(spec, str):
        match = _EXACT.match(spec)
        return raw[match.group(1)] if match else spec
    if isinstance(spec, Mapping):
        return {k: _resolve(v, raw) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_resolve(v, raw) for v in spec]
    return spec
