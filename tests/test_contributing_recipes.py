"""CONTRIBUTING.md's recipes hold: every file they name exists, and every extension jibsa has is registered
in each place its recipe names (a recipe that names a file gone, or an extension a step forgot, fails).
The device kind's recipe has its own test (tests/domain/test_device_kind_recipe.py)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import jibsa

ROOT = Path(jibsa.__file__).parents[2]
SRC = Path(jibsa.__file__).parent
_NAMED = re.compile(r"`([\w./*<>-]+\.(?:py|yaml|toml|md|js|jsonl))`")


def _contributing() -> str:
    return (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def _recipe(title: str) -> str:
    return _contributing().split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _entry_points(group: str) -> dict[str, str]:
    points: dict[str, str] = _pyproject()["project"]["entry-points"][group]
    return points


def _exists(named: str) -> bool:
    """Whether a file CONTRIBUTING.md names exists: from the checkout's root or from src/jibsa (a `*` is
    any name; a `<name>` placeholder stands for a file a contributor adds, in a folder that exists; a bare
    file name, such as a skill's `skill.yaml`, is one somewhere in the checkout)."""
    if "<" in named:
        folder = Path(named.split("<", 1)[0] + "x").parent
        return (ROOT / folder).is_dir() or (SRC / folder).is_dir()
    if "/" not in named:
        return any(ROOT.glob(f"[!.]*/**/{named}"))
    return any(list(base.glob(named)) for base in (ROOT, SRC))


def test_every_file_the_recipes_name_exists() -> None:
    named = set(_NAMED.findall(_contributing()))
    assert len(named) > 20  # the scan found the recipes' files
    assert sorted(n for n in named if not _exists(n)) == []


def test_every_trigger_kind_is_one_module_with_one_entry_point() -> None:
    assert "`pyproject.toml`" in _recipe("Add a trigger kind")
    kinds = {p.stem for p in (SRC / "rules/triggers").glob("*.py") if "\nKIND = " in p.read_text(encoding="utf-8")}
    assert len(kinds) >= 8
    assert {v.split(":")[0] for v in _entry_points("jibsa.triggers").values()} == {
        f"jibsa.rules.triggers.{kind}" for kind in kinds
    }


def test_every_adapter_is_a_folder_with_an_entry_point_and_stands_alone() -> None:
    recipe = _recipe("Add an adapter")
    assert "`pyproject.toml`" in recipe and "each adapter stands alone" in recipe
    vendors = {p.parent.name for p in (SRC / "adapters").glob("*/__init__.py") if "create_adapter" in p.read_text()}
    assert {"sim", "mqtt", "matter"} <= vendors
    assert set(_entry_points("jibsa.adapters").values()) == {f"jibsa.adapters.{v}:create_adapter" for v in vendors}
    alone = next(
        c
        for c in _pyproject()["tool"]["importlinter"]["contracts"]
        if c["name"].startswith("each adapter stands alone")
    )
    assert set(alone["modules"]) == {f"jibsa.adapters.{v}" for v in vendors}


def test_every_route_module_is_included_in_the_app() -> None:
    assert "`src/jibsa/api/app.py`: include the router" in _recipe("Add a route")
    app = (SRC / "api/app.py").read_text(encoding="utf-8")
    routes = sorted(p.stem for p in (SRC / "api").glob("routes_*.py"))
    assert len(routes) > 10
    assert [r for r in routes if not re.search(rf"\b{r}\b", app)] == []


def test_the_skill_and_intent_recipes_examples_are_whole() -> None:
    example = ROOT / "examples/jibsa-skill-recycling"
    assert "`examples/jibsa-skill-recycling/`" in _recipe("Add a skill")
    assert list(example.rglob("skill.yaml"))
    assert (
        "jibsa.skills"
        in tomllib.loads((example / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    )
    intent = (ROOT / "tests/integration/count_devices_intent.py").read_text(encoding="utf-8")
    assert "`tests/integration/count_devices_intent.py`" in _recipe("Add an intent")
    assert "IntentSpec(" in intent and "Handler.SKILL" in intent
