"""How a provider process runs: a YAML file (`--config`) plus `JIBSA_PROVIDER_*` environment, the
environment winning.

```yaml
nats_url: nats://127.0.0.1:4222
database_url: postgresql://jibsa@db/jibsa
shards: 64            # virtual shards; every worker and gateway of one deployment must agree
lease_ttl_s: 6        # a dead worker's shards are taken this long after it stops renewing
worker: worker-a      # this worker's name (default: the host name and process id)
metrics_bind: 127.0.0.1:9464   # /metrics and /healthz ("" for none)
homes_dir: /srv/jibsa/homes    # <home id>.yaml per home
home_template: /srv/jibsa/home.yaml   # or one home file every home id gets (simulated fleets)
```
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from jibsa.config import ConfigError
from jibsa.provider.shards import SHARDS

ENV_PREFIX = "JIBSA_PROVIDER_"
_WORKER = re.compile(r"[A-Za-z0-9_-]{1,64}")  # a key token in the leases bucket


def _default_worker() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass(frozen=True)
class ProviderSettings:
    nats_url: str = "nats://127.0.0.1:4222"
    database_url: str = ""
    shards: int = SHARDS
    lease_ttl_s: float = 6.0
    worker: str = ""
    metrics_bind: str = ""
    homes_dir: str = ""
    home_template: str = ""
    command_timeout_s: float = 5.0

    @property
    def worker_name(self) -> str:
        return self.worker or _default_worker()

    @classmethod
    def load(cls, path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> ProviderSettings:
        """The file's settings (if `path`), then the environment's; `ConfigError` naming the file or
        variable and the field for one that cannot be used."""
        environ = os.environ if environ is None else environ
        settings = cls()
        if path is not None:
            settings = settings.updated(_read(Path(path)), str(path))
        from_env = {
            f.name: environ[ENV_PREFIX + f.name.upper()] for f in fields(cls) if ENV_PREFIX + f.name.upper() in environ
        }
        return settings.updated(from_env, "environment " + ENV_PREFIX + "*").checked()

    def updated(self, values: Mapping[str, Any], source: str) -> ProviderSettings:
        """These settings with `values` (by field name) taken over, each converted to the field's type."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, raw in values.items():
            if name not in known:
                continue  # other parts of the deployment (the gateway) read their own fields from the same file
            convert = _CONVERT[type(getattr(self, name))]
            try:
                changes[name] = convert(raw)
            except (TypeError, ValueError):
                raise ConfigError(f"{source}: {name}: {raw!r} is not a {convert.__name__}") from None
        return replace(self, **changes)

    def checked(self) -> ProviderSettings:
        if self.shards != SHARDS:  # the subjects name a home's shard among SHARDS (jibsa.provider.shards)
            raise ConfigError(f"shards: {self.shards}: this jibsa routes homes to {SHARDS} shards")
        if not _WORKER.fullmatch(self.worker_name):
            raise ConfigError(f"worker: {self.worker!r} must be 1-64 of A-Z a-z 0-9 - _")
        if not 1.0 <= self.lease_ttl_s <= 600.0:
            raise ConfigError(f"lease_ttl_s: {self.lease_ttl_s} must be between 1 and 600 seconds")
        if not 0.1 <= self.command_timeout_s <= 60.0:
            raise ConfigError(f"command_timeout_s: {self.command_timeout_s} must be between 0.1 and 60 seconds")
        if self.metrics_bind and not _is_bind(self.metrics_bind):
            raise ConfigError(f"metrics_bind: {self.metrics_bind!r} must be HOST:PORT")
        return self


_CONVERT: dict[type, Callable[[Any], Any]] = {str: str, int: int, float: float}


def _is_bind(text: str) -> bool:
    host, _, port = text.rpartition(":")
    return bool(host) and port.isdigit() and 0 <= int(port) <= 65535


def _read(file: Path) -> Mapping[str, Any]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such file") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{file}: cannot be read: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"{file}: expected a mapping of setting names to values")
    return data
