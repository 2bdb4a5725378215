"""Rules, presence and notifications over the HTTP API (in-process over httpx, real SQLite store)."""

from __future__ import annotations

from tests_rules_support import Api, engine_of

from jibsa.app import RunningHome

WASHER_DONE = {"name": "세탁 알림", "when": {"kind": "finished", "device": "washer"}, "do": [{"kind": "notify"}]}
UNLOCK_ON_ARRIVAL = {"name": "오면 문 열기", "when": {"kind": "presence", "event": "arrive"},
                     "do": [{"kind": "command", "intent": "unlock", "targets": ["front_door"]}]}


async def test_rules_are_added_listed_switched_and_removed(api: Api) -> None:
    added = await api.call("아이", "POST", "/api/rules", json={"rule": WASHER_DONE})
    assert added.status_code == 201, added.text
    rule_id = added.json()["id"]
    listed = (await api.call("손님", "GET", "/api/rules")).json()
    assert [r["name"] for r in listed["rules"]] == ["세탁 알림"]
    off = await api.call("아이", "PATCH", f"/api/rules/{rule_id}", json={"enabled": False})
    assert off.json()["enabled"] is False
    assert (await api.call("아이", "DELETE", f"/api/rules/{rule_id}")).status_code == 204
    gone = await api.call("아이", "DELETE", f"/api/rules/{rule_id}")
    assert (gone.status_code, gone.json()["code"]) == (404, "unknown_rule")


async def test_bad_rules_and_guests_get_clear_errors(api: Api) -> None:
    bad = await api.call("아이", "POST", "/api/rules", json={"rule": {**WASHER_DONE, "when": {"kind": "moon"}}})
    assert bad.status_code == 422
    body = bad.json()
    assert body["code"] == "bad_rule" and body["detail"]["field"] == "when.kind" and body["message"]
    guest = await api.call("손님", "POST", "/api/rules", json={"rule": WASHER_DONE})
    assert (guest.status_code, guest.json()["code"]) == (403, "forbidden")


async def test_an_unlocking_rule_needs_an_owner_and_a_confirmation(api: Api, running: RunningHome) -> None:
    member = await api.call("아이", "POST", "/api/rules", json={"rule": UNLOCK_ON_ARRIVAL, "confirm": True})
    assert (member.status_code, member.json()["code"]) == (403, "not_allowed")  # not a 409 no answer can fix
    assert "owner" in member.json()["detail"]["reason"]
    first = await api.call("엄마", "POST", "/api/rules", json={"rule": UNLOCK_ON_ARRIVAL})
    assert (first.status_code, first.json()["code"]) == (409, "needs_confirmation")
    again = await api.call("엄마", "POST", "/api/rules", json={"rule": UNLOCK_ON_ARRIVAL, "confirm": True})
    assert again.status_code == 201 and again.json()["confirmed"] is True


async def test_presence_and_notifications_per_person(api: Api, running: RunningHome) -> None:
    rule = {"name": "엄마 오면 아이에게", "when": {"kind": "presence", "event": "arrive", "person": "엄마"},
            "do": [{"kind": "notify", "to": ["아이"]}]}
    assert (await api.call("엄마", "POST", "/api/rules", json={"rule": rule})).status_code == 201
    people = await api.call("엄마", "PUT", "/api/presence/엄마", json={"home": True})
    assert people.json() == {"엄마": True}
    await engine_of(running).settled()
    mine = (await api.call("아이", "GET", "/api/notifications")).json()
    assert mine["unread"] == 1 and [n["text"] for n in mine["notifications"]] == ["엄마님이 집에 왔어요."]
    assert (await api.call("엄마", "GET", "/api/notifications")).json()["unread"] == 0  # not hers
    marked = await api.call("아이", "POST", "/api/notifications/read", json={})
    assert marked.json() == {"marked": 1}
    assert (await api.call("아이", "GET", "/api/notifications?unread=true")).json()["notifications"] == []


async def test_rule_changes_and_presence_are_audited(api: Api, running: RunningHome) -> None:
    """Issue 20, item 15: rule create, toggle and delete, and presence changes, each an audit row."""
    rule_id = (await api.call("아이", "POST", "/api/rules", json={"rule": WASHER_DONE})).json()["id"]
    await api.call("아이", "PATCH", f"/api/rules/{rule_id}", json={"enabled": False})
    await api.call("아이", "DELETE", f"/api/rules/{rule_id}")
    await api.call("엄마", "PUT", "/api/presence/아이", json={"home": False})
    refused = await api.call("아이", "POST", "/api/rules", json={"rule": UNLOCK_ON_ARRIVAL, "confirm": True})
    assert refused.status_code == 403
    entries = await running.store.audit(running.hub.home.id)  # type: ignore[attr-defined]
    seen = [(e.user, e.action, e.ok) for e in sorted(entries, key=lambda e: e.at)]
    assert seen == [("아이", "rule_create", True), ("아이", "rule_toggle", True), ("아이", "rule_delete", True),
                    ("엄마", "presence", True), ("아이", "rule_create", False)]
