"""A gateway's memory of checked tokens (`jibsa.provider.token_cache.TokenCache`), on a clock the test moves:
it forgets after its TTL, at a session's end, on every revocation, and when full; a lookup that began
before a revocation is not remembered; what a revocation message cannot say makes it forget everything."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from jibsa.provider.token_cache import TokenCache, revocation


@dataclass(frozen=True)
class _User:
    id: str
    home_id: str


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


A1, A2, B1 = _User("u_a1", "h_a"), _User("u_a2", "h_a"), _User("u_b1", "h_b")


def _cache(ttl_s: float = 5.0, size: int = 100) -> tuple[TokenCache, _Clock]:
    clock = _Clock()
    return TokenCache(ttl_s, size, clock), clock


def test_a_token_is_believed_for_the_ttl_and_never_for_another_token() -> None:
    cache, clock = _cache()
    cache.put("hash-a1", A1, cache.generation)
    cache.put("hash-b1", B1, cache.generation)
    assert cache.get("hash-a1") is A1 and cache.get("hash-b1") is B1
    assert cache.get("hash-a") is None and cache.get("hash-a1 ") is None
    clock.now += 4.9
    assert cache.get("hash-a1") is A1
    clock.now += 0.1
    assert cache.get("hash-a1") is None and len(cache) == 1


def test_a_session_is_not_believed_past_its_end() -> None:
    cache, clock = _cache(ttl_s=5.0)
    cache.put("session", A1, cache.generation, expires_in_s=1.0)
    clock.now += 0.9
    assert cache.get("session") is A1
    clock.now += 0.1
    assert cache.get("session") is None
    cache.put("ended", A1, cache.generation, expires_in_s=0.0)
    assert cache.get("ended") is None


def test_no_ttl_remembers_nothing() -> None:
    cache, _ = _cache(ttl_s=0.0)
    cache.put("hash-a1", A1, cache.generation)
    assert cache.get("hash-a1") is None and len(cache) == 0


def test_revocations_forget_the_account_or_the_home_only() -> None:
    cache, _ = _cache()
    for key, user in (("a1", A1), ("a1-session", A1), ("a2", A2), ("b1", B1)):
        cache.put(key, user, cache.generation)
    assert cache.forget(user_id="u_a1") == 2
    assert cache.get("a1") is None and cache.get("a1-session") is None and cache.get("a2") is A2
    assert cache.forget(home_id="h_a") == 1
    assert cache.get("a2") is None and cache.get("b1") is B1


def test_a_lookup_that_began_before_a_revocation_is_not_remembered() -> None:
    """The database said yes, then a revocation arrived, then the answer came back: not kept."""
    cache, _ = _cache()
    began = cache.generation
    cache.forget(user_id="u_a1")
    cache.put("a1", A1, began)
    assert cache.get("a1") is None
    cache.put("a1", A1, cache.generation)
    assert cache.get("a1") is A1


def test_a_full_cache_forgets_the_least_recently_remembered() -> None:
    cache, _ = _cache(size=2)
    cache.put("a1", A1, cache.generation)
    cache.put("a2", A2, cache.generation)
    cache.put("b1", B1, cache.generation)
    assert len(cache) == 2 and cache.get("a1") is None and cache.get("b1") is B1


def test_by_default_a_token_is_believed_for_minutes_and_a_revocation_still_ends_it_at_once() -> None:
    clock = _Clock()
    cache = TokenCache(clock=clock)  # the defaults a gateway runs with
    cache.put("a1", A1, cache.generation)
    cache.put("b1", B1, cache.generation)
    clock.now += 60.0  # far past the few seconds tokens were once remembered
    assert cache.get("a1") is A1
    cache.heard(revocation(user_id="u_a1"))
    assert cache.get("a1") is None and cache.get("b1") is B1
    cache.heard(revocation(home_id="h_b"))
    assert cache.get("b1") is None and len(cache) == 0


def test_a_token_remembered_again_for_another_account_is_forgotten_with_that_account_only() -> None:
    """The index by account and home follows what is remembered: a hash put again, a full cache, the TTL."""
    cache, clock = _cache(size=2)
    cache.put("k", A1, cache.generation)
    cache.put("k", B1, cache.generation)  # the same hash, remembered afresh for another account
    assert cache.forget(user_id="u_a1") == 0 and cache.get("k") is B1
    cache.put("a2", A2, cache.generation)
    cache.put("a1", A1, cache.generation)  # full: "k" goes, and with it from home h_b's index
    assert cache.forget(home_id="h_b") == 0 and len(cache) == 2
    clock.now += 10.0  # past the TTL: forgotten when next asked
    assert cache.get("a1") is None
    assert cache.forget(home_id="h_a") == 1 and len(cache) == 0


def test_revocation_messages() -> None:
    cache, _ = _cache()
    for key, user in (("a1", A1), ("a2", A2), ("b1", B1)):
        cache.put(key, user, cache.generation)
    cache.heard(revocation(user_id="u_a2"))
    assert cache.get("a2") is None and cache.get("a1") is A1
    cache.heard(revocation(home_id="h_b"))
    assert cache.get("b1") is None and cache.get("a1") is A1
    cache.heard(b'{"user": "nobody"}')
    assert cache.get("a1") is A1


@pytest.mark.parametrize("message", [b"not json", b"[1]", b"{}", b'{"user": 7}', b'{"home": ["h_a"]}', b"\xff"])
def test_a_revocation_it_cannot_read_forgets_everything(message: bytes) -> None:
    cache, _ = _cache()
    cache.put("a1", A1, cache.generation)
    cache.heard(message)
    assert cache.get("a1") is None


def test_a_revocation_names_one_account_or_one_home() -> None:
    with pytest.raises(ValueError):
        revocation()
    with pytest.raises(ValueError):
        revocation(user_id="u", home_id="h")
    assert revocation(home_id="h_a") == b'{"home": "h_a"}'
