"""Adapter settings: tokens, broker addresses. From a YAML file (`--config`, or `jibsa.yaml` in the
data directory) and environment variables, the environment winning.

```yaml
mqtt: {url: "mqtts://user:pass@broker:8883", ca_file: /etc/jibsa/broker-ca.pem}  # cert_file, key_file, insecure
thinq: {token: "thinqpat_…", country: KR}
smartthings: {token: "…"}
matter: {url: "ws://127.0.0.1:5580/ws"}   # a Matter controller (or `jibsa serve --matter`); docs/matter.md
weather: {provider: kma, service_key: "…", city: 서울}   # or {provider: open-meteo}, no key
```
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from jibsa.domain import JibsaError

CONFIG_FILE = "jibsa.yaml"
# Environment variable -> (adapter, setting)
ENVIRONMENT = {
    "JIBSA_MQTT_URL": ("mqtt", "url"),
    "JIBSA_THINQ_TOKEN": ("thinq", "token"),
    "JIBSA_THINQ_COUNTRY": ("thinq", "country"),
    "JIBSA_THINQ_CLIENT_ID": ("thinq", "client_id"),
    "JIBSA_THINQ_BASE_URL": ("thinq", "base_url"),
    "JIBSA_SMARTTHINGS_TOKEN": ("smartthings", "token"),
    "JIBSA_MATTER_URL": ("matter", "url"),
    "JIBSA_SMARTTHINGS_BASE_URL": ("smartthings", "base_url"),
    "JIBSA_WEATHER_PROVIDER": ("weather", "provider"),
    "JIBSA_WEATHER_SERVICE_KEY": ("weather", "service_key"),
    "JIBSA_WEATHER_KMA_BASE_URL": ("weather", "kma_base_url"),
    "JIBSA_WEATHER_AIRKOREA_BASE_URL": ("weather", "airkorea_base_url"),
}


class ConfigError(JibsaError):
    """A configuration file that cannot be used: names the file and the problem."""


def load_adapter_settings(
    path: str | Path | None, data_dir: Path | None, environ: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """Settings per adapter name. A missing default file is fine; a missing `--config` file is not."""
    environ = os.environ if environ is None else environ
    settings: dict[str, dict[str, Any]] = {}
    file = Path(path) if path else (data_dir / CONFIG_FILE if data_dir else None)
    if file is not None and (path or file.exists()):
        settings = _read(file)
    for variable, (adapter, key) in ENVIRONMENT.items():
        if environ.get(variable):
            settings.setdefault(adapter, {})[key] = environ[variable]
    return settings


def read_mapping(file: Path, expected: str) -> Mapping[str, Any]:
    """A YAML file holding one mapping (an empty file is an empty one); `ConfigError` naming the file
    otherwise, with `expected` saying what the mapping holds."""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such file") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{file}: cannot be read: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"{file}: expected a mapping of {expected}")
    return data


def _read(file: Path) -> dict[str, dict[str, Any]]:
    data = read_mapping(file, "adapter names to settings")
    out: dict[str, dict[str, Any]] = {}
    for name, section in data.items():
        if not isinstance(section, Mapping):
            raise ConfigError(f"{file}: {name}: expected a mapping of settings")
        out[str(name)] = dict(section)
    return out
