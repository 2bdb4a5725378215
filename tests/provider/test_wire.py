"""The subjects and the request format that gateways and workers share."""

from __future__ import annotations

import json

import pytest

from jibsa.domain import Role
from jibsa.provider.shards import (
    SHARDS,
    BadHomeId,
    command_subject,
    event_subject,
    home_of_subject,
    shard_commands,
    shard_events,
    shard_of,
    shard_watches,
    watch_subject,
)
from jibsa.provider.wire import MAX_BYTES, Asker, BadRequest, Reply, Request


def test_a_home_keeps_its_shard_and_its_subjects_name_it() -> None:
    shards = {shard_of(f"h-{n:05d}") for n in range(2000)}
    assert shards == set(range(SHARDS))  # every shard gets homes
    assert shard_of("h-00042") == shard_of("h-00042")
    subject = command_subject("h-00042")
    assert subject == f"jibsa.{shard_of('h-00042')}.h-00042.cmd"
    assert home_of_subject(subject) == "h-00042"
    assert home_of_subject(event_subject("h-00042")) == "h-00042"
    assert shard_commands(3) == "jibsa.3.*.cmd"
    assert shard_events(3) == "jibsa.3.*.evt"
    assert home_of_subject(watch_subject("h-00042")) == "h-00042"
    assert watch_subject("h-00042") == f"jibsa.{shard_of('h-00042')}.h-00042.watch"
    assert shard_watches(3) == "jibsa.3.*.watch"


@pytest.mark.parametrize("home_id", ["", "a.b", "*", ">", "h 1", "집", "x" * 65, "h-1.*"])
def test_an_id_that_could_reach_other_subjects_names_no_home(home_id: str) -> None:
    with pytest.raises(BadHomeId):
        command_subject(home_id)


_WRONG_SHARD = (shard_of("h-1") + 1) % SHARDS


@pytest.mark.parametrize(
    "subject",
    [
        "jibsa.*.h-1.cmd",
        "jibsa.>",
        f"jibsa.{_WRONG_SHARD}.h-1.cmd",
        f"jibsa.{shard_of('h-1')}.h-1.cmd.x",
        f"jibsa.{_WRONG_SHARD}.h-1.watch",
        "jibsa.*.*.watch",
    ],
)
def test_a_subject_with_a_wildcard_or_the_wrong_shard_names_no_home(subject: str) -> None:
    with pytest.raises(BadHomeId):
        home_of_subject(subject)


def test_a_request_goes_through_bytes_whole() -> None:
    request = Request("r1", "h-7", Asker("민지", Role.MEMBER), "say", {"text": "거실 불 꺼줘"})
    assert Request.from_bytes(request.to_bytes()) == request
    assert Reply.from_bytes(Reply(True, {"said": "껐어요"}).to_bytes()) == Reply(True, {"said": "껐어요"})
    failed = Reply(False, code="not_found", message="그런 집은 없어요")
    assert Reply.from_bytes(failed.to_bytes()) == failed


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (
            {"id": "r", "home": "a.b", "principal": {"person": "p", "role": "owner", "via": "http"}, "kind": "say"},
            "home",
        ),
        ({"id": "r", "home": "h", "principal": {"person": "p", "role": "root", "via": "http"}, "kind": "say"}, "role"),
        ({"id": "r", "home": "h", "principal": {"person": "p", "role": "owner", "via": "http"}, "kind": "rm"}, "kind"),
        ({"id": "", "home": "h", "principal": {"person": "p", "role": "owner", "via": "http"}, "kind": "say"}, "id"),
        ({"id": "r", "home": "h", "principal": "owner", "kind": "say"}, "principal"),
        ([1, 2], "object"),
    ],
)
def test_a_bad_request_is_refused_naming_the_field(document: object, field: str) -> None:
    with pytest.raises(BadRequest) as raised:
        Request.from_bytes(json.dumps(document).encode())
    assert field in raised.value.worded("en")


def test_a_huge_or_broken_request_is_refused() -> None:
    with pytest.raises(BadRequest) as huge:
        Request.from_bytes(b"{" + b" " * MAX_BYTES + b"}")
    assert "bytes" in huge.value.worded("en")
    with pytest.raises(BadRequest) as broken:
        Request.from_bytes(b"\xff\xfe")
    assert "JSON" in broken.value.worded("en")
