"""Where a worker finds a home's home file: the provider database's homes table (`home_rows.HomeRows`,
the default), or for simulated fleets one file per home in a directory (`<home id>.yaml`), or one
template every home id is made from. Homes made from equal files share one model:
the home file is read once per file, and homes that differ only in their id are twins (`Parser.twin`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Protocol

from jibsa.domain import Home
from jibsa.domain.errors import HomeFileError
from jibsa.home_file import load_home
from jibsa.provider.shards import checked_home_id


class NoSuchHome(LookupError):
    """No home file for this home id."""


class HomeSource(Protocol):
    async def home(self, home_id: str) -> tuple[Home, str]:
        """The home of `home_id` and the key of its model (equal for homes that are twins)."""
        ...


class HomeFiles:
    """`homes_dir/<home id>.yaml` when it exists, else `template` (if given) under the home's id."""

    def __init__(self, homes_dir: str | Path | None = None, template: str | Path | None = None) -> None:
        if not homes_dir and not template:
            raise ValueError("give a directory of home files, a template home file, or both")
        self._dir = Path(homes_dir) if homes_dir else None
        self._template_path = Path(template) if template else None
        self._template: Home | None = None
        self._models: dict[str, Home] = {}

    async def home(self, home_id: str) -> tuple[Home, str]:
        checked_home_id(home_id)  # never a path outside the directory
        if self._dir is not None and (file := self._dir / f"{home_id}.yaml").is_file():
            loaded = load_home(file).home
            key = _model_key(loaded)
            model = self._models.setdefault(key, loaded)
            return replace(model, id=home_id), key
        if self._template_path is None:
            raise NoSuchHome(home_id)
        if self._template is None:
            self._template = load_home(self._template_path).home
        return replace(self._template, id=home_id), f"template:{self._template_path}"


def _model_key(home: Home) -> str:
    """Equal for homes whose files say the same apart from the id."""
    return repr(replace(home, id=""))


__all__ = ["HomeFileError", "HomeFiles", "HomeSource", "NoSuchHome"]
