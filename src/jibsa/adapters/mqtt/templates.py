"""Home Assistant value templates in the simple forms devices send, without Jinja.

Understood: `{{ value }}`, `{{ value_json.a }}`, `{{ value_json.a.b }}`, `{{ value_json['a'] }}`,
`{{ value_json["a"]["b"] }}`, each optionally piped through `int`, `float`, `round(n)`, `lower`,
`upper`, `string`, `abs`. Anything else raises `TemplateError`, and the message is skipped.
"""

from __future__ import annotations

import json
import re
from typing import Any

_TEMPLATE = re.compile(r"^\s*\{\{\s*(?P<expr>.+?)\s*\}\}\s*$", re.S)
_PATH = re.compile(r"\.(\w+)|\[\s*'([^']*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]|\[\s*(\d+)\s*\]")
_FILTER = re.compile(r"^(\w+)(?:\((.*)\))?$")


class TemplateError(ValueError):
    """A template this evaluator does not understand, or a payload it cannot be applied to."""


def render(template: str | None, payload: str) -> Any:
    """The value `template` takes for `payload`; without a template, the payload itself."""
    if not template:
        return payload
    match = _TEMPLATE.match(template)
    if not match:
        raise TemplateError(f"not a simple template: {template!r}")
    source, *filters = (part.strip() for part in match.group("expr").split("|"))
    value = _source(source, payload)
    for name in filters:
        value = _filter(name, value)
    return value


def _source(source: str, payload: str) -> Any:
    if source == "value":
        return payload
    if not source.startswith("value_json"):
        raise TemplateError(f"unknown source {source!r}")
    try:
        value: Any = json.loads(payload)
    except ValueError:
        raise TemplateError("payload is not JSON") from None
    rest = source[len("value_json") :]
    position = 0
    for step in _PATH.finditer(rest):
        if step.start() != position:
            raise TemplateError(f"cannot read {source!r}")
        position = step.end()
        key = step.group(1) or step.group(2) or step.group(3)
        index = step.group(4)
        try:
            value = value[int(index)] if index is not None else value[key]
        except (KeyError, IndexError, TypeError):
            raise TemplateError(f"payload has no {source!r}") from None
    if position != len(rest):
        raise TemplateError(f"cannot read {source!r}")
    return value


def _filter(name: str, value: Any) -> Any:
    match = _FILTER.match(name)
    if not match:
        raise TemplateError(f"unknown filter {name!r}")
    func, argument = match.group(1), match.group(2)
    try:
        if func == "int":
            return int(float(value))
        if func == "float":
            return float(value)
        if func == "round":
            return round(float(value), int(argument or 0))
        if func in ("lower", "upper"):
            return getattr(str(value), func)()
        if func == "string":
            return str(value)
        if func == "abs":
            return abs(float(value))
    except (TypeError, ValueError):
        raise TemplateError(f"{func} cannot take {value!r}") from None
    raise TemplateError(f"unknown filter {func!r}")
