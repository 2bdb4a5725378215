"""How a provider's processes run: one YAML file (`--config`) for every worker and gateway of a
deployment, plus `JIBSA_PROVIDER_*` environment, the environment winning. Each process reads the fields
it needs.

```yaml
nats_url: nats://127.0.0.1:4222
database_url: postgresql://jibsa@db/jibsa
shards: 64            # virtual shards; every worker and gateway of one deployment must agree
# workers
lease_ttl_s: 6        # a dead worker's shards are taken this long after it stops renewing
worker: worker-a      # this worker's name (default: the host name and process id)
metrics_bind: 127.0.0.1:9464   # /metrics and /healthz ("" for none)
homes_dir: ""         # simulated fleets only: <home id>.yaml per home, or
home_template: ""     # one home file every home id gets; by default the homes table (homes import)
# gateways
gateway_bind: 0.0.0.0:8480   # HTTP, WebSocket, /healthz and /metrics
request_timeout_s: 3         # how long a home's worker has to answer (plus lease_ttl_s when it died)
trusted_proxies: ""          # load balancers whose X-Forwarded-For is believed (comma-separated)
token_cache_s: 300           # a checked token is believed this long without asking PostgreSQL (0: never)
history_days: 30             # state history kept, unless a home has its own (homes retention)
```
"""

from __future__ import annotations

import difflib
import math
import os
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from jibsa.domain.said import Said
from jibsa.provider.shards import SHARDS
from jibsa.provider.told import SettingsError

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
    gateway_bind: str = "127.0.0.1:8480"
    request_timeout_s: float = 3.0
    max_body_bytes: int = 16 * 1024  # a request's body; what goes on to the worker is at most wire.MAX_BYTES
    login_attempts: int = 5  # failed logins from one address in the window, then 429 for that address
    login_window_s: float = 60.0
    session_ttl_s: float = 7 * 24 * 3600.0
    events_queue: int = 256  # events waiting for one slow WebSocket before it is closed
    # A worker publishes a home's events while a gateway has said, this recently, that a WebSocket of the home
    # is open (gateways say it every third of this), and every event for this long after it took a shard.
    events_watch_s: float = 30.0
    trusted_proxies: str = ""  # load balancers whose X-Forwarded-For is believed (comma-separated addresses)
    history_days: float = 30.0  # state history kept per home unless the home says otherwise
    maintain_every_s: float = 3600.0  # history partitions made ahead and retention applied (0: never here)
    token_cache_s: float = 300.0  # a checked token is believed this long (revocations reach every gateway at once)
    token_cache_size: int = 100_000  # tokens a gateway remembers

    @property
    def worker_name(self) -> str:
        return self.worker or _default_worker()

    @property
    def answer_within_s(self) -> float:
        """How long a gateway waits for a home's answer: `request_timeout_s` for its worker, and the lease TTL
        more, within which a dead worker's shard is taken by another that replays the request and answers."""
        return self.request_timeout_s + self.lease_ttl_s

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
    def load(cls, path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> ProviderSettings:
        """The file's settings (if `path`), then the environment's; `SettingsError` naming where the value
        came from (the file or the variable), the field and the problem, for one that cannot be used."""
        sources: dict[str, str] = {}
        return overlaid(cls(), path, environ, sources).checked(sources)

    def checked(self, sources: Mapping[str, str] | None = None) -> ProviderSettings:
        """These settings, if each can be used; `sources` says where each field's value came from."""
        refuse = _Refusals(self, sources or {})
        if self.shards != SHARDS:  # the subjects name a home's shard among SHARDS (jibsa.provider.shards)
            refuse("shards", Said("provider_errors.shards", {"shards": SHARDS}))
        if not _WORKER.fullmatch(self.worker_name):
            refuse("worker", Said("provider_errors.worker"))
        for name, low, high in _SECONDS:
            if not low <= getattr(self, name) <= high:
                refuse(name, Said("provider_errors.between_seconds", {"low": low, "high": high}))
        for name, low, high in _COUNTS:
            if not low <= getattr(self, name) <= high:
                refuse(name, Said("provider_errors.between", {"low": low, "high": high}))
        if self.metrics_bind and not is_bind(self.metrics_bind):
            refuse("metrics_bind", Said("provider_errors.bind"))
        if not is_bind(self.gateway_bind):
            refuse("gateway_bind", Said("provider_errors.bind"))
        return self

    def with_database(self, source: str = "") -> ProviderSettings:
        """These settings, if they name the provider's PostgreSQL (every worker, gateway and `homes` action
        needs it); `SettingsError` otherwise (`source`: the settings file, if any)."""
        if not self.database_url:
            variable = f"{ENV_PREFIX}DATABASE_URL"
            raise SettingsError(source, "database_url", "", Said("provider_errors.no_database", {"variable": variable}))
        return self


# Fields that must lie within bounds: (name, lowest, highest), in seconds or as counts.
_SECONDS = [("lease_ttl_s", 1, 600), ("command_timeout_s", 0.1, 60), ("request_timeout_s", 0.05, 60),
            ("events_watch_s", 0.5, 3600), ("token_cache_s", 0, 3600), ("login_window_s", 1, 86_400),
            ("session_ttl_s", 1, 366 * 86_400), ("maintain_every_s", 0, 7 * 86_400)]  # fmt: skip
_COUNTS = [("database_pool", 1, 500), ("max_body_bytes", 256, 60 * 1024), ("token_cache_size", 1, 10_000_000),
           ("login_attempts", 1, 10_000), ("events_queue", 1, 100_000), ("history_days", 1, 3650)]  # fmt: skip


class _Refusals:
    """Raise the `SettingsError` for a field of `settings`, naming where its value came from."""

    def __init__(self, settings: ProviderSettings, sources: Mapping[str, str]) -> None:
        self._settings = settings
        self._sources = sources

    def __call__(self, name: str, problem: Said) -> None:
        value = self._settings.worker_name if name == "worker" else getattr(self._settings, name)
        raise SettingsError(self._sources.get(name, ""), name, value, problem)


def _number(kind: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`kind` (int or float) of a YAML number or a text, refusing true/false (YAML's `yes`, `on`…), a
    fraction for int (which `int` would silently cut), and what is not a finite number (`.nan`, `.inf`)."""

    def convert(raw: Any) -> Any:
        if isinstance(raw, bool) or (kind is int and isinstance(raw, float) and not raw.is_integer()):
            raise ValueError(raw)
        value = kind(raw)
        if not math.isfinite(value):
            raise ValueError(raw)
        return value

    return convert


def _text(raw: Any) -> str:
    """A text as it was written. YAML reads `yes` as true, `007` as 7 and `2026-01-01` as a date, which
    `str` would turn into "True", "7" and a date silently: a text setting must be a text (quoted, if YAML
    would read it otherwise)."""
    if not isinstance(raw, str):
        raise _NotAText(raw)
    return raw


class _NotAText(TypeError):
    """A text setting given something else."""


_CONVERT: dict[type, Callable[[Any], Any]] = {str: _text, int: _number(int), float: _number(float)}


def is_bind(text: str) -> bool:
    """`HOST:PORT`, a port 0-65535."""
    host, _, port = text.rpartition(":")
    return bool(host) and port.isdigit() and 0 <= int(port) <= 65535


Settings = TypeVar("Settings", bound="DataclassInstance")


def overlaid(
    settings: Settings,
    path: str | Path | None,
    environ: Mapping[str, str] | None,
    sources: dict[str, str] | None = None,
) -> Settings:
    """`settings` (a dataclass) with the values of its fields from the YAML file at `path` (if any), then
    from `JIBSA_PROVIDER_<FIELD>` in `environ` (default: the process's), each converted to the field's
    type; `sources` (if given) learns where each value came from: the file, or the variable. A name in the
    file that is not a field is refused, with the field it looks like ("lease_ttl:" would otherwise go
    unnoticed, the default used)."""
    environ = os.environ if environ is None else environ
    sources = {} if sources is None else sources
    names = [f.name for f in fields(settings)]
    if path is not None:
        values = _read(Path(path))
        _known(names, values, str(path))
        settings = _with(settings, values, {name: str(path) for name in values}, sources)
    variables = {name: ENV_PREFIX + name.upper() for name in names if ENV_PREFIX + name.upper() in environ}
    return _with(settings, {name: environ[v] for name, v in variables.items()}, variables, sources)


def _read(file: Path) -> Mapping[str, Any]:
    """The settings file's mapping (an empty file is an empty one); `SettingsError` naming the file otherwise."""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(str(file), "", "", Said("provider_errors.no_file")) from None
    except OSError as error:
        raise SettingsError(str(file), "", "", Said("provider_errors.unreadable", {"reason": error.strerror})) from None
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise SettingsError(str(file), "", "", Said("provider_errors.unreadable", {"reason": str(error)})) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise SettingsError(str(file), "", "", Said("provider_errors.not_a_mapping"))
    return data


def _known(names: list[str], values: Mapping[str, Any], file: str) -> None:
    for name in values:
        if name not in names:
            like = difflib.get_close_matches(str(name), names, n=1, cutoff=0.6)
            problem = (
                Said("provider_errors.unknown_setting_like", {"name": like[0]})
                if like
                else Said("provider_errors.unknown_setting", {"names": ", ".join(names)})
            )
            raise SettingsError(file, str(name), "", problem)


def _with(settings: Settings, values: Mapping[str, Any], where: Mapping[str, str], sources: dict[str, str]) -> Settings:
    changes: dict[str, Any] = {}
    for item in fields(settings):
        if item.name not in values:
            continue
        raw, convert = values[item.name], _CONVERT[type(getattr(settings, item.name))]
        try:
            changes[item.name] = convert(raw)
        except _NotAText:
            raise SettingsError(where[item.name], item.name, raw, Said("provider_errors.not_a_text")) from None
        except (TypeError, ValueError, OverflowError):
            whole = isinstance(getattr(settings, item.name), int)
            problem = "provider_errors.not_a_whole_number" if whole else "provider_errors.not_a_number"
            raise SettingsError(where[item.name], item.name, raw, Said(problem)) from None
        sources[item.name] = where[item.name]
    return replace(settings, **changes)
