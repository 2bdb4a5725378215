"""The names and rooms people gave their Matter devices ("거실 스탠드로 해줘"), kept in one JSON file
in jibsa's Matter folder. A device keeps its name across restarts of jibsa and of the controller,
and a change is on disk (written whole, then renamed into place) before it is acknowledged."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
NAMES_FILE = "names.json"


@dataclass(frozen=True, slots=True)
class GivenName:
    name: str
    room: str | None = None


class NameBook:
    """Names by device id (`matter_<node>_<endpoint>`)."""

    def __init__(self, folder: Path) -> None:
        self._file = folder / NAMES_FILE
        self._names: dict[str, GivenName] = self._read()

    def get(self, device_id: str) -> GivenName | None:
        return self._names.get(device_id)

    def give(self, device_id: str, name: str, room: str | None) -> None:
        """Keep `name` (and `room`) for `device_id`, durably."""
        self._names[device_id] = GivenName(name, room)
        self._write()

    def forget(self, device_ids: list[str]) -> None:
        if any(self._names.pop(i, None) for i in device_ids):
            self._write()

    def _read(self) -> dict[str, GivenName]:
        try:
            raw = json.loads(self._file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.error("%s: cannot be read (%s); Matter devices keep their makers' names", self._file, exc)
            return {}
        if not isinstance(raw, dict):
            log.error("%s: expected an object of device ids; Matter devices keep their makers' names", self._file)
            return {}
        return {
            str(k): GivenName(str(v["name"]), v.get("room"))
            for k, v in raw.items()
            if isinstance(v, dict) and isinstance(v.get("name"), str)
        }

    def _write(self) -> None:
        self._file.parent.mkdir(parents=True, exist_ok=True)
        data = {k: {"name": v.name, "room": v.room} for k, v in sorted(self._names.items())}
        part = self._file.with_name(self._file.name + ".part")
        with part.open("w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        part.replace(self._file)
