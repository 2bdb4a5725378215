"""Reading a rules file: YAML with a `rules:` list in the JSON form of docs/rules.md, checked against
the home. A bad file is refused with one line naming the file, the field and the problem.

Before the YAML is built, the file's size, its nesting and its aliases are checked: a file of aliases
("billion laughs") grew `rules import` to 2.9 GB, and a 10 MB file took 22 s to check. A rules file
needs no aliases (`*name`), so none is accepted."""

from __future__ import annotations

from pathlib import Path

import yaml

from jibsa.domain import Home
from jibsa.rules.model import Rule, RuleFormatError
from jibsa.rules.schema import read_rule

MAX_FILE_BYTES = 256_000  # a thousand rules fit in half of this (checking them takes seconds)
MAX_DEPTH = 32  # a rule nests five or six levels deep
# libyaml's loader when PyYAML has it (Debian's and PyPI's wheels do): reading is many times faster.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_rules_file(path: str | Path, home: Home) -> list[Rule]:
    """The rules in `path`; raises `RuleFormatError` (file, field, problem) on the first bad one."""
    source = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise RuleFormatError(source, "", f"is {size:,} bytes; a rules file may have at most {MAX_FILE_BYTES:,}")
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RuleFormatError(source, "", "no such file") from None
    except OSError as exc:
        raise RuleFormatError(source, "", f"cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise RuleFormatError(source, "", f"is not UTF-8 text (byte {exc.start})") from None
    return parse_rules_text(text, source, home)


def parse_rules_text(text: str, source: str, home: Home) -> list[Rule]:
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise RuleFormatError(source, "", f"is longer than {MAX_FILE_BYTES:,} bytes, the most a rules file may have")
    try:
        _check_shape(text, source)
        data = yaml.load(text, Loader=_LOADER)  # a safe loader: libyaml's or Python's
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise RuleFormatError(source, where, f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleFormatError(source, "rules", "expected a list of rules under 'rules:'")
    rules = []
    for i, raw in enumerate(data["rules"]):
        try:
            rules.append(read_rule(raw, home, source))
        except RuleFormatError as exc:
            raise RuleFormatError(
                source, f"rules[{i}].{exc.path}" if exc.path else f"rules[{i}]", exc.problem
            ) from None
    return rules


def _check_shape(text: str, source: str) -> None:
    """Refuse aliases and deep nesting from the parser's events, before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise RuleFormatError(
                source, _where(event), f"an alias (*{event.anchor}): a rules file may not use YAML aliases"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise RuleFormatError(source, _where(event), f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _where(event: yaml.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
