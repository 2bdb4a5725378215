"""A gateway's memory of the tokens it checked: checking a token was one PostgreSQL read per request.

A token (access token or login session) found in the database is remembered for `ttl_s` seconds (a
session no longer than it lasts), at most `size` of them, keyed by the token's hash: what is remembered is
the account the database returned, so a token still names exactly its own home. A token not found is
never remembered (a new one works at once). The TTL is minutes, not seconds: at 10,000 homes and 200
commands a second a home is asked about once a minute, so a few seconds' memory was almost never used,
and a revocation does not wait for the TTL (below). The tokens remembered are indexed by account and by
home, so forgetting one account's costs no walk over the others.

Revocations are forgotten at once on the gateway where they happen (logout), and announced on
`REVOKED_SUBJECT` to every gateway: `{"user": id}` (that account's tokens and sessions) or `{"home": id}`
(every account of a deleted home). A message there can only make a gateway forget, never trust, and names
no token. A gateway that was away from NATS (and may have missed one) forgets everything; a revocation
made where nobody announces it (the database edited by hand) holds within `ttl_s`."""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nats
import nats.errors
from nats.aio.client import Client as Nats
from nats.aio.msg import Msg

from jibsa.provider.socket_access import Close, Holder, SocketAccess
from jibsa.storage import SqlStore

log = logging.getLogger(__name__)

REVOKED_SUBJECT = "jibsa.auth.revoked"
TTL_S = 300.0
SIZE = 100_000


@dataclass(frozen=True, slots=True)
class _Known:
    user: Any
    until: float  # on the cache's clock
    ends: float | None  # when a login session ends (epoch seconds); None for an access token


class TokenCache:
    """Token hash -> the account it belongs to, for a few seconds; `ttl_s` 0 remembers nothing."""

    def __init__(self, ttl_s: float = TTL_S, size: int = SIZE, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._size = size
        self._clock = clock
        self._known: OrderedDict[str, _Known] = OrderedDict()
        self._of_user: dict[str, set[str]] = {}  # account id -> the hashes of its tokens remembered
        self._of_home: dict[str, set[str]] = {}  # home id -> the hashes of its accounts' tokens remembered
        self.generation = 0  # one more with every revocation: a lookup that began before one is not kept

    def __len__(self) -> int:
        return len(self._known)

    def get(self, token_hash: str) -> Any | None:
        """The account behind the token, if it was checked within the TTL and not revoked since."""
        held = self.holder(token_hash)
        return None if held is None else held[0]

    def holder(self, token_hash: str) -> tuple[Any, float | None] | None:
        """The account behind the token and when its session ends (None for an access token), as `get`."""
        known = self._known.get(token_hash)
        if known is None:
            return None
        if known.until <= self._clock():
            self._drop(token_hash)
            return None
        return known.user, known.ends

    def put(
        self, token_hash: str, user: Any, since: int, *, expires_in_s: float | None = None, ends: float | None = None
    ) -> None:
        """Remember the account the database found for the token, unless a revocation came after the lookup
        began (`since`: the `generation` then); `expires_in_s`: a session's time left, `ends` its end."""
        ttl = self._ttl_s if expires_in_s is None else min(self._ttl_s, expires_in_s)
        if ttl <= 0 or since != self.generation:
            return
        if token_hash in self._known:
            self._drop(token_hash)
        self._known[token_hash] = _Known(user, self._clock() + ttl, ends)
        self._of_user.setdefault(str(user.id), set()).add(token_hash)
        self._of_home.setdefault(str(user.home_id), set()).add(token_hash)
        while len(self._known) > self._size:
            self._drop(next(iter(self._known)))

    def forget(self, *, user_id: str | None = None, home_id: str | None = None) -> int:
        """Forget every token of the account or of the home; how many were remembered."""
        self.generation += 1
        gone = set(self._of_user.get(user_id, ())) if user_id is not None else set()
        if home_id is not None:
            gone |= self._of_home.get(home_id, set())
        for key in gone:
            self._drop(key)
        return len(gone)

    def clear(self) -> None:
        self.generation += 1
        self._known.clear()
        self._of_user.clear()
        self._of_home.clear()

    def _drop(self, token_hash: str) -> None:
        known = self._known.pop(token_hash)
        for index, key in ((self._of_user, str(known.user.id)), (self._of_home, str(known.user.home_id))):
            hashes = index.get(key)
            if hashes is not None:
                hashes.discard(token_hash)
                if not hashes:
                    del index[key]

    def heard(self, data: bytes) -> tuple[str | None, str | None]:
        """A revocation announced on `REVOKED_SUBJECT`; one it cannot read makes it forget everything.
        Returns the account and the home it named ((None, None): everything was forgotten)."""
        try:
            document = json.loads(data)
            user_id, home_id = document.get("user"), document.get("home")
            if not isinstance(user_id, str | None) or not isinstance(home_id, str | None) or user_id is home_id is None:
                raise ValueError("names neither one account nor one home")
        except (ValueError, AttributeError) as error:
            log.warning("an unreadable revocation (%s): every remembered token is forgotten", error)
            self.clear()
            return None, None
        self.forget(user_id=user_id, home_id=home_id)
        return user_id, home_id


def revocation(*, user_id: str | None = None, home_id: str | None = None) -> bytes:
    """The message that makes every gateway forget the account's or the home's tokens."""
    if (user_id is None) == (home_id is None):
        raise ValueError("a revocation names one account or one home")
    return json.dumps({"user": user_id} if user_id is not None else {"home": home_id}).encode()


class TokenChecker:
    """Who a token is, as a gateway asks it: from the cache while NATS (which brings revocations) is
    connected and has not reconnected since the token was remembered, else from the database. The
    gateway's open WebSockets are checked again when a revocation names them (`SocketAccess`)."""

    def __init__(self, accounts: SqlStore, connection: Nats, cache: TokenCache, clock: Callable[[], float] = time.time):
        self._accounts = accounts
        self._nats = connection
        self._cache = cache
        self._clock = clock
        self._reconnects = self._reconnected()
        self.sockets = SocketAccess(self.holder, self.caught_up, clock)

    async def listen(self) -> None:
        """Hear every gateway's revocations from now on."""
        await self._nats.subscribe(REVOKED_SUBJECT, cb=self._heard)

    async def user(self, token_hash: str) -> Any | None:
        """The account of an access token or of a live login session; None for any other token."""
        held = await self.holder(token_hash)
        return None if held is None else held[0]

    async def holder(self, token_hash: str) -> Holder | None:
        """As `user`, with when the login session ends (None for an access token)."""
        if (held := self._remembered(token_hash)) is not None:
            return held
        since = self._cache.generation
        user = await self._accounts.find_token(token_hash)
        if user is not None:
            self._cache.put(token_hash, user, since)
            return user, None
        now = self._clock()
        found = await self._accounts.session_user(token_hash, now)
        if found is None:
            return None
        self._cache.put(token_hash, found[0], since, expires_in_s=found[1] - now, ends=found[1])
        return found

    async def guard(self, token_hash: str, close: Close) -> None:
        """Keep the WebSocket opened with the token only while the token holds (`SocketAccess.guard`)."""
        await self.sockets.guard(token_hash, close)

    async def revoke(self, *, user_id: str | None = None, home_id: str | None = None) -> None:
        """Forget here now, and tell every gateway (a NATS hiccup is logged: the others then forget within
        the TTL)."""
        self._cache.forget(user_id=user_id, home_id=home_id)
        self.sockets.revoked(user_id=user_id, home_id=home_id)
        try:
            await self._nats.publish(REVOKED_SUBJECT, revocation(user_id=user_id, home_id=home_id))
        except nats.errors.Error as error:
            log.warning("a revocation could not be announced (%s); other gateways forget within the TTL", error)

    def caught_up(self) -> bool:
        """Whether NATS reconnected since last asked: revocations may have passed while we were away, so
        every remembered token is forgotten and every open socket checked again."""
        reconnects = self._reconnected()
        if reconnects == self._reconnects:
            return False
        self._reconnects = reconnects
        self._cache.clear()
        self.sockets.revoked()
        return True

    def _remembered(self, token_hash: str) -> Holder | None:
        self.caught_up()
        if not self._nats.is_connected:
            return None
        return self._cache.holder(token_hash)

    def _reconnected(self) -> int:
        return int(self._nats.stats.get("reconnects", 0))

    async def _heard(self, message: Msg) -> None:
        user_id, home_id = self._cache.heard(message.data)
        self.sockets.revoked(user_id=user_id, home_id=home_id)


async def announce(nats_url: str, *, user_id: str | None = None, home_id: str | None = None) -> bool:
    """Tell every gateway on `nats_url` to forget the account's or the home's tokens (`jibsa provider homes
    delete`); False when NATS cannot be reached (the gateways then forget within their TTL)."""
    message = revocation(user_id=user_id, home_id=home_id)
    try:
        connection = await nats.connect(  # two tries (0 would be: try for ever)
            nats_url, connect_timeout=2, allow_reconnect=False, max_reconnect_attempts=1, reconnect_time_wait=0.2
        )
    except (OSError, nats.errors.Error) as error:
        log.warning("cannot reach NATS at %s to announce a revocation: %s", nats_url, error)
        return False
    try:
        await connection.publish(REVOKED_SUBJECT, message)
        await connection.flush(timeout=2)
    except nats.errors.Error as error:
        log.warning("a revocation could not be announced on %s: %s", nats_url, error)
        return False
    finally:
        await connection.close()
    return True
