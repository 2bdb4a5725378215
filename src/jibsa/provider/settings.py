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
from typing import TYPE_CHECKING, Any, TypeVar

from jibsa.config import ConfigError, read_mapping
from jibsa.provider.shards import SHARDS

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

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
    database_pool: int = 8  # PostgreSQL connections a worker keeps open (as many more when busy)

    @property
    def worker_name(self) -> str:
        return self.worker or _default_worker()

    @classmethod
    def load(cls, path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> ProviderSettings:
        """The file's settings (if `path`), then the environment's; `ConfigError` naming the file or
        variable and the field for one that cannot be used."""
        return overlaid(cls(), path, environ).checked()

    def checked(self) -> ProviderSettings:
        if self.shards != SHARDS:  # the subjects name a home's shard among SHARDS (jibsa.provider.shards)
            raise ConfigError(f"shards: {self.shards}: this jibsa routes homes to {SHARDS} shards")
        if not _WORKER.fullmatch(self.worker_name):
            raise ConfigError(f"worker: {self.worker!r} must be 1-64 of A-Z a-z 0-9 - _")
        if not 1.0 <= self.lease_ttl_s <= 600.0:
            raise ConfigError(f"lease_ttl_s: {self.lease_ttl_s} must be between 1 and 600 seconds")
        if not 0.1 <= self.command_timeout_s <= 60.0:
            raise ConfigError(f"command_timeout_s: {self.command_timeout_s} must be between 0.1 and 60 seconds")
        if not 1 <= self.database_pool <= 500:
            raise ConfigError(f"database_pool: {self.database_pool} must be between 1 and 500")
        if self.metrics_bind and not is_bind(self.metrics_bind):
            raise ConfigError(f"metrics_bind: {self.metrics_bind!r} must be HOST:PORT")
        return self


_CONVERT: dict[type, Callable[[Any], Any]] = {str: str, int: int, float: float}


def is_bind(text: str) -> bool:
    """`HOST:PORT`, a port 0-65535."""
    host, _, port = text.rpartition(":")
    return bool(host) and port.isdigit() and 0 <= int(port) <= 65535


Settings = TypeVar("Settings", bound="DataclassInstance")


def overlaid(settings: Settings, path: str | Path | None, environ: Mapping[str, str] | None) -> Settings:
    """`settings` (a dataclass) with the values of its fields from the YAML file at `path` (if any), then
    from `JIBSA_PROVIDER_<FIELD>` in `environ` (default: the process's), each converted to the field's
    type. Names it does not have are left to the other parts of the deployment that share the file."""
    environ = os.environ if environ is None else environ
    if path is not None:
        settings = _with(settings, read_mapping(Path(path), "setting names to values"), str(path))
    names = [f.name for f in fields(settings)]
    from_env = {name: environ[ENV_PREFIX + name.upper()] for name in names if ENV_PREFIX + name.upper() in environ}
    return _with(settings, from_env, f"environment {ENV_PREFIX}*")


def _with(settings: Settings, values: Mapping[str, Any], source: str) -> Settings:
    changes: dict[str, Any] = {}
    for item in fields(settings):
        if item.name not in values:
            continue
        raw, convert = values[item.name], _CONVERT[type(getattr(settings, item.name))]
        try:
            changes[item.name] = convert(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{source}: {item.name}: {raw!r} is not a {convert.__name__}") from None
    return replace(settings, **changes)
