"""The weather the household chose on the phone page (a city and a data.go.kr service key), kept in the
data directory as `weather.json`, readable by its owner only (0600): the key is a credential.

What is kept here wins over `jibsa.yaml`'s `weather` section for the fields it holds (provider, city,
service_key); the section's other fields (a stand-in's base URLs, a separate AirKorea key) still apply.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jibsa.config import ConfigError
from jibsa.skills.weather.report import city, strip_cities

CHOICE_FILE = "weather.json"
# Where a household gets a key: KMA's short-range forecast service on data.go.kr (AirKorea's fine dust
# takes the same key once that service is applied for as well).
KEY_PAGE = "https://www.data.go.kr/data/15084084/openapi.do"
KEY_MAX = 512


def read_choice(data_dir: Path | None) -> dict[str, str]:
    """The kept choice ({} when none); ConfigError naming the file when it cannot be read."""
    if data_dir is None:
        return {}
    file = data_dir / CHOICE_FILE
    try:
        kept = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{file}: cannot read the weather setting ({exc})") from None
    if not isinstance(kept, dict) or not all(isinstance(v, str) for v in kept.values()):
        raise ConfigError(f"{file}: the weather setting is not an object of strings")
    return {k: v for k, v in kept.items() if k in ("provider", "city", "service_key")}


def write_choice(data_dir: Path, choice: Mapping[str, str]) -> None:
    """Keep `choice` whole (written under a private name, then renamed), readable by the owner only."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    part = data_dir / f".{CHOICE_FILE}.{os.getpid()}"
    descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(dict(choice), out, ensure_ascii=False)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(part, 0o600)
    os.replace(part, data_dir / CHOICE_FILE)


def clean_key(text: str) -> str:
    """The key as data.go.kr means it: pasted spaces dropped, and its "Encoding" form (%2B, %3D) decoded,
    since the request encodes it once more."""
    key = "".join(text.split())
    return unquote(key) if "%" in key else key


def setup_cities() -> list[dict[str, str]]:
    """The cities a household may choose: the strip's 20, with their English names."""
    return [{"name": name, "name_en": city(name).name_en} for name in strip_cities()]


def chosen_settings(config: Mapping[str, Any], choice: Mapping[str, str]) -> dict[str, Any]:
    """`jibsa.yaml`'s weather section with the household's choice over it."""
    return {**config, **choice}
