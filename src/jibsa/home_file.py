"""Reading a home file from disk: YAML in, a validated `Home` out, or one line saying what is wrong."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from jibsa.domain import HomeFileError, LoadedHome, home_from_mapping

SAMPLE_HOME = "sample_home.yaml"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        # The parser's own words ("found character that cannot start any token") say what to fix.
        problem = getattr(exc, "problem", None) or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        values = {**place, "detail": problem}
        raise HomeFileError(source, where, f"not valid YAML: {problem}", "bad_yaml", values) from None
    return home_from_mapping(data, source)
