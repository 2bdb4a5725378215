"""Reading a home file from disk: YAML in, a validated `Home` out, or one line saying what is wrong."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from jibsa.domain import HomeFileError, LoadedHome, home_from_mapping
from jibsa.domain.korean import josa, particles

SAMPLE_HOME = "sample_home.yaml"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PROBLEMS_KO = "home_file_problems_ko.yaml"
# A quoted value and the particle after it ("'{type}'는"): the particle follows how the value is read
# ("'aircon'은", "'lamp'는", "'bedroom'이라는").
_QUOTED_PARTICLE = re.compile(r"'\{(\w+)\}'(" + "|".join(particles()) + ")")


def sample_home_text() -> str:
    """The built-in sample home, as YAML text."""
    return resources.files("jibsa.data").joinpath(SAMPLE_HOME).read_text(encoding="utf-8")


def load_home(path: str | Path | None) -> LoadedHome:
    """Load and validate a home file; with None, the built-in sample home.

    Raises `HomeFileError` naming the file, the field path and the problem."""
    if path is None:
        return parse_home_text(sample_home_text(), SAMPLE_HOME)
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise HomeFileError(str(path), "", "no such file", "no_file") from None
    except OSError as exc:
        raise HomeFileError(
            str(path), "", f"cannot be read ({exc.strerror})", "unreadable", {"reason": exc.strerror}
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HomeFileError(
            str(path), "", f"is not UTF-8 text (byte {exc.start})", "not_utf8", {"byte": exc.start}
        ) from None
    return parse_home_text(text, str(path))


def parse_home_text(text: str, source: str) -> LoadedHome:
    """Validate home-file YAML text; `source` names it in errors."""
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = {"line": mark.line + 1, "column": mark.column + 1} if mark is not None else {}
        where = "line {line}, column {column}".format(**place) if place else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise HomeFileError(source, where, f"not valid YAML: {problem}", "bad_yaml", place) from None
    return home_from_mapping(data, source)


def _with_particles(template: str, values: dict[str, Any]) -> str:
    def chosen(match: re.Match[str]) -> str:
        name, particle = match.groups()
        if name not in values:
            return match.group(0)
        return josa(f"'{values[name]}'", particle).replace("{", "{{").replace("}", "}}")

    return _QUOTED_PARTICLE.sub(chosen, template)


def describe_problem(error: HomeFileError, language: str) -> str:
    """The error's one line in `language`: file and field path as they are, the problem in words
    (English is the error's own text)."""
    if language == "en" or not error.code:
        return str(error)
    table = _korean_problems()
    values = {k: table["kinds"].get(v, v) if k == "kind" else v for k, v in error.values.items()}
    problem = _with_particles(str(table["problems"][error.code]), values).format(**values)
    path = str(table["yaml_where"]).format(**values) if error.code == "bad_yaml" and values else error.path
    return f"{error.source}: {path}: {problem}" if path else f"{error.source}: {problem}"


@cache
def _korean_problems() -> dict[str, Any]:
    text = resources.files("jibsa.data").joinpath(PROBLEMS_KO).read_text(encoding="utf-8")
    table: dict[str, Any] = yaml.load(text, Loader=SAFE_LOADER)
    return table
