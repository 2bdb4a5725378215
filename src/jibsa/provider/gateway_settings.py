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

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jibsa.config import ConfigError
from jibsa.provider.settings import ENV_PREFIX, is_bind, overlaid


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
    trusted_proxies: str = ""  # load balancers whose X-Forwarded-For is believed (comma-separated addresses)
    history_days: float = 30.0  # state history kept per home unless the home says otherwise
    maintain_every_s: float = 3600.0  # history partitions made ahead and retention applied (0: never here)

    @property
    def proxies(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.trusted_proxies.split(",") if a.strip())

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
        return overlaid(cls(), path, environ)._checked()

    def _checked(self) -> GatewaySettings:
        if not self.database_url:
            raise ConfigError(f"database_url: the gateway needs the provider's PostgreSQL ({ENV_PREFIX}DATABASE_URL)")
        if not is_bind(self.gateway_bind):
            raise ConfigError(f"gateway_bind: {self.gateway_bind!r} must be HOST:PORT")
        if not 0.05 <= self.request_timeout_s <= 60:
            raise ConfigError(f"request_timeout_s: {self.request_timeout_s} must be between 0.05 and 60 seconds")
        if not 256 <= self.max_body_bytes <= 60 * 1024:
            raise ConfigError(f"max_body_bytes: {self.max_body_bytes} must be between 256 and 61440")
        return self
