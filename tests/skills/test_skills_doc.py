"""docs/skills.md as a skill's author follows it: its pyproject.toml builds (a [build-system], the package
found under src/), the path it installs from exists, and the request's fields it lists are the real ones."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

from jibsa.skills.partner import SkillRequest

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "skills.md").read_text(encoding="utf-8")


def test_the_pyproject_snippet_is_the_examples_own() -> None:
    snippet = tomllib.loads(re.search(r"```toml\n(.*?)```", DOC, re.S).group(1))  # type: ignore[union-attr]
    example = tomllib.loads((ROOT / "examples" / "jibsa-skill-recycling" / "pyproject.toml").read_text())
    assert snippet["build-system"] == example["build-system"]
    for key in ("name", "version", "dependencies", "entry-points"):
        assert snippet["project"][key] == example["project"][key], key
    assert snippet["tool"] == example["tool"]


def test_the_install_command_names_a_folder_that_exists() -> None:
    paths = re.findall(r"pip install (\./\S+)", DOC)
    assert paths and all((ROOT / path).is_dir() for path in paths), paths


def test_the_request_fields_are_the_ones_listed() -> None:
    listed = re.search(r"`SkillRequest` holds \w+ fields: (.*?)\n\n", DOC, re.S).group(1)  # type: ignore[union-attr]
    assert set(re.findall(r"`(\w+)` \(", listed)) == {f.name for f in dataclasses.fields(SkillRequest)}
