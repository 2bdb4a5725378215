"""How a gateway runs: the provider's YAML file (`--config`, the same file the workers read; a gateway
reads its own fields and leaves the rest) plus `JIBSA_PROVIDER_*` environment, the environment winning.

```yaml
nats_url: nats://127.0.0.1:4222
database_url: postgresql://jibsa@db/jibsa
gateway_bind: 0.0.0.0:8480   # HTTP, WebSocket, /healthz and /metrics
request_timeout_s: 3         # how long a home's worker has to answer
history_days: 30             # state history kept, unless a home has its own (homes retention)
```
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from jibsa.config import ConfigError

ENV_PREFIX = "JIBSA_PROVIDER_"


@dataclass(frozen=True)
class GatewaySettings:
    nats_url: str = "nats://127.0.0.1:4222"
    database_url: str = ""
    gateway_bind: str = "127.0.0.1:8480"
    request_timeout_s: float = 3.0
    max_body_bytes: int = 16 * 1024  # a request's body; what goes on to the worker is at most wire.MAX_BYTES
    login_attempts: int = 5  # failed logins from one address in the window, then 429 for that address
    login_window_s: float = 60.0
    session_ttl_s: float = 7 * 24 * 3600.0
    events_queue: int = 256  # events waiting for one slow WebSocket before it is closed
    history_days: float = 30.0  # state history kept per home unless the home says otherwise
    maintain_every_s: float = 3600.0  # history partitions made ahead and retention applied (0: never here)

    @property
    def host(self) -> str:
        return self.gateway_bind.rpartition(":")[0].strip("[]")

    @property
    def port(self) -> int:
        return int(self.gateway_bind.rpartition(":")[2])

    @classmethod
    def load(cls, path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> GatewaySettings:
        """The file's settings (if `path`), then the environment's; `ConfigError` naming the file or
        variable and the field for one that cannot be used."""
        environ = os.environ if environ is None else environ
        settings = cls()
        if path is not None:
            settings = settings._updated(_read(Path(path)), str(path))
        names = {f.name for f in fields(cls)}
        from_env = {name: environ[ENV_PREFIX + name.upper()] for name in names if ENV_PREFIX + name.upper() in environ}
        return settings._updated(from_env, f"environment {ENV_PREFIX}*")._checked()

    def _updated(self, values: Mapping[str, Any], source: str) -> GatewaySettings:
        changes: dict[str, Any] = {}
        for item in fields(self):
            if item.name not in values:
                continue  # fields of the workers share the file
            raw, kind = values[item.name], type(getattr(self, item.name))
            try:
                changes[item.name] = kind(raw)
            except (TypeError, ValueError):
                raise ConfigError(f"{source}: {item.name}: {raw!r} is not a {kind.__name__}") from None
        return replace(self, **changes)

    def _checked(self) -> GatewaySettings:
        if not self.database_url:
            raise ConfigError(f"database_url: the gateway needs the provider's PostgreSQL ({ENV_PREFIX}DATABASE_URL)")
        host, _, port = self.gateway_bind.rpartition(":")
        if not host or not port.isdigit() or int(port) > 65535:
            raise ConfigError(f"gateway_bind: {self.gateway_bind!r} must be HOST:PORT")
        if not 0.05 <= self.request_timeout_s <= 60:
            raise ConfigError(f"request_timeout_s: {self.request_timeout_s} must be between 0.05 and 60 seconds")
        if not 256 <= self.max_body_bytes <= 60 * 1024:
            raise ConfigError(f"max_body_bytes: {self.max_body_bytes} must be between 256 and 61440")
        return self


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
