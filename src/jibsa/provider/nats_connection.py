"""How a worker or a gateway connects to NATS: the first try must succeed (else a `SettingsError` naming
`nats_url`, as a person can act on it), and once connected the client reconnects for ever, logging each
failed try as one line instead of a traceback. nats-py alone cannot say both: with reconnecting for ever,
its first connect also retries for ever, and the process hangs at start-up, deaf to SIGTERM."""

from __future__ import annotations

import logging

import nats
import nats.errors
from nats.aio.client import Client as NATS

from jibsa.domain.said import Said
from jibsa.provider.told import SettingsError

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_S = 5.0


async def connect(url: str, name: str) -> NATS:
    """A connection to `url` that reconnects for ever once made; `SettingsError` if the first try fails."""
    tries: list[Exception] = []

    async def tried(error: Exception) -> None:  # told below, with the error that says why
        tries.append(error)

    try:
        first = await nats.connect(
            url,
            name=name,
            connect_timeout=CONNECT_TIMEOUT_S,
            allow_reconnect=False,
            max_reconnect_attempts=1,
            reconnect_time_wait=0.5,
            error_cb=tried,
        )  # two tries: with 0 or -1, nats-py's first connect goes on for ever
    except (TimeoutError, OSError, nats.errors.Error) as error:
        why = tries[-1] if tries else error  # "no servers available" alone does not say why
        problem = Said("provider_errors.nats_unreachable", {"error": str(why) or type(why).__name__})
        raise SettingsError("", "nats_url", url, problem) from None
    await first.close()
    return await nats.connect(
        url, name=name, connect_timeout=CONNECT_TIMEOUT_S, max_reconnect_attempts=-1, error_cb=_one_line
    )  # fmt: skip


async def _one_line(error: Exception) -> None:
    log.warning("NATS: %s", str(error) or type(error).__name__)
