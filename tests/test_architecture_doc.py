"""docs/architecture.md draws the layers that import-linter holds the code to (pyproject.toml): the
picture changes when the contract does."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _contract_layers() -> list[str]:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [layers] = [c["layers"] for c in contracts if c["name"].startswith("layers:")]
    return [" | ".join(m.strip().removeprefix("jibsa.") for m in layer.split("|")) for layer in layers]


def _drawn_layers() -> list[str]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no ```layers block"
    rows = [re.fullmatch(r"\s*(\d+)\s+(.+?)\s*", line) for line in block.group(1).splitlines() if line.strip()]
    assert all(rows), "each line of the layers block is: number, then the layer's packages"
    numbers = [int(r.group(1)) for r in rows if r]
    assert numbers == sorted(numbers, reverse=True) == list(range(len(numbers), 0, -1))
    return [r.group(2) for r in rows if r]


def test_the_picture_of_the_layers_is_the_contract() -> None:
    assert _drawn_layers() == _contract_layers()
