"""Reading a rules file: YAML with a `rules:` list in the JSON form of docs/rules.md, checked against
the home. A bad file is refused with one line naming the file, the field and the problem."""

from __future__ import annotations

from pathlib import Path

import yaml

from jibsa.domain import Home
from jibsa.rules.model import Rule, RuleFormatError
from jibsa.rules.schema import read_rule


def load_rules_file(path: str | Path, home: Home) -> list[Rule]:
    """The rules in `path`; raises `RuleFormatError` (file, field, problem) on the first bad one."""
    source = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RuleFormatError(source, "", "no such file") from None
    except OSError as exc:
        raise RuleFormatError(source, "", f"cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise RuleFormatError(source, "", f"is not UTF-8 text (byte {exc.start})") from None
    return parse_rules_text(text, source, home)


def parse_rules_text(text: str, source: str, home: Home) -> list[Rule]:
    try:
        data = yaml.safe_load(text)
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
            raise RuleFormatError(source, f"rules[{i}].{exc.path}" if exc.path else f"rules[{i}]",
                                  exc.problem) from None
    return rules
