"""Enrolled voices over the API (issue 24): a person records their own sentences through the microphone
socket, lists and deletes their own voice; an owner sees and deletes everyone's and sets "낯선 목소리는
손님으로"; another person's voice is refused, and every change (and refusal) is audited. The voices file
is readable only by jibsa's user. Audio is espeak-ng speech (a stand-in voice), sent as the page sends it."""

from __future__ import annotations

import asyncio
import json
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import websockets

from jibsa.api.routes_voice import enable_voice
from jibsa.domain import Role
from jibsa.voice.audio import float_to_pcm16, read_wav
from jibsa.voice.service import VoiceService

FRAME = 3200
ApiHarness = Any  # conftest.ApiHarness: the app in-process, its running home, a token per role


class _Unused:
    """The socket needs a recogniser; enrolment never asks it for words."""

    languages = ("ko", "en")

    def speech_end(self, audio: Any) -> float | None:
        return None

    def recognize(self, audio: Any, language: str) -> Any:
        raise AssertionError("enrolment does not recognise words")


@pytest.fixture
def spoken(tmp_path: Path) -> bytes:
    """Three seconds of espeak-ng English as 16 kHz PCM."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng (Debian package)")
    out = tmp_path / "said.wav"
    text = "Turn the living room light on softly this evening, please."
    subprocess.run(["espeak-ng", "-v", "en+f4", "-w", str(out), text], check=True)
    return float_to_pcm16(read_wav(out.read_bytes()))


async def enrol(url: str, token: str, pcm: bytes, **start: Any) -> dict[str, Any]:
    async with websockets.connect(f"ws://{url}/api/voice?token={token}", max_size=None) as ws:
        await ws.send(json.dumps({"type": "start", "enrol": True, **start}))
        for offset in range(0, len(pcm), FRAME):
            await ws.send(pcm[offset : offset + FRAME])
        await ws.send(json.dumps({"type": "stop"}))
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if message["type"] in ("enrolled", "error"):
                return dict(message)


def voice_on(harness: ApiHarness) -> None:
    """`/api/voice` turned on for the app (the microphone socket enrolment goes through)."""
    enable_voice(harness.app, None, service=VoiceService(_Unused(), None))  # type: ignore[arg-type]


async def audit(harness: ApiHarness, action: str) -> list[Any]:
    rows = await harness.running.store.audit(harness.running.hub.home.id)  # type: ignore[attr-defined]
    return sorted((r for r in rows if r.action == action), key=lambda r: r.at)


async def test_a_member_enrols_their_own_voice_and_only_they_and_the_owner_see_it(
    harness: ApiHarness, live_url: str, spoken: bytes
) -> None:
    voice_on(harness)
    first = await enrol(live_url, harness.tokens[Role.MEMBER], spoken, my_room="안방")
    assert first["type"] == "enrolled" and first["name"] == "member" and first["samples"] == 1, first
    second = await enrol(live_url, harness.tokens[Role.MEMBER], spoken)
    assert second["samples"] == 2
    mine = (await harness.as_(Role.MEMBER, "GET", "/api/voices")).json()
    assert [p["name"] for p in mine["people"]] == ["member"] and mine["people"][0]["room"] == "master_bedroom"
    assert len(mine["sentences"]) == 5 and mine["strangers_as_guests"] is True
    assert "user_id" not in mine["people"][0] and "embedding" not in json.dumps(mine)
    assert [p["name"] for p in (await harness.as_(Role.OWNER, "GET", "/api/voices")).json()["people"]] == ["member"]
    assert (await harness.as_(Role.GUEST, "GET", "/api/voices")).json()["people"] == []
    english = (await harness.as_(Role.GUEST, "GET", "/api/voices?lang=en")).json()["sentences"]
    assert english[0].startswith("Turn the living room light")
    rows = await audit(harness, "voice_enrol")
    assert [(r.user, r.ok, r.detail["name"]) for r in rows] == [("member", True, "member")] * 2
    voices = harness.running.voices
    assert voices is not None
    assert stat.S_IMODE(voices.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(voices.path.parent.stat().st_mode) == 0o700


async def test_another_persons_voice_is_refused_and_the_refusal_audited(
    harness: ApiHarness, live_url: str, spoken: bytes
) -> None:
    voice_on(harness)
    refused = await enrol(live_url, harness.tokens[Role.GUEST], spoken, **{"for": "owner"})
    assert refused["type"] == "error" and refused["code"] == "not_allowed"
    await enrol(live_url, harness.tokens[Role.MEMBER], spoken)
    denied = await harness.as_(Role.GUEST, "DELETE", "/api/voices/member")
    assert denied.status_code == 403 and denied.json()["code"] == "not_allowed"
    satellite = await enrol(live_url, harness.tokens[Role.SATELLITE], spoken)
    assert satellite["type"] == "error" and satellite["code"] == "not_allowed"  # an account, not a person
    enrolments = await audit(harness, "voice_enrol")
    assert [(r.user, r.ok) for r in enrolments] == [("guest", False), ("member", True), ("satellite", False)]
    assert [r.ok for r in await audit(harness, "forget_voice")] == [False]  # the 403, by its route's name
    voices = harness.running.voices
    assert voices is not None and [v.name for v in voices.enrolled()] == ["member"]


async def test_the_owner_deletes_one_recording_and_a_person_deletes_their_own(
    harness: ApiHarness, live_url: str, spoken: bytes
) -> None:
    voice_on(harness)
    await enrol(live_url, harness.tokens[Role.MEMBER], spoken)
    last = await enrol(live_url, harness.tokens[Role.MEMBER], spoken)
    sample = last["sample"]["id"]
    await enrol(live_url, harness.tokens[Role.OWNER], spoken)
    theirs = await harness.as_(Role.MEMBER, "DELETE", f"/api/voices/member/samples/{sample}")
    assert theirs.status_code == 200 and theirs.json()["deleted"] == 1
    again = await harness.as_(Role.MEMBER, "DELETE", f"/api/voices/member/samples/{sample}")
    assert again.status_code == 404
    owner_sample = (await harness.as_(Role.OWNER, "GET", "/api/voices")).json()["people"][1]["samples"][0]["id"]
    other = await harness.as_(Role.MEMBER, "DELETE", f"/api/voices/member/samples/{owner_sample}")
    assert other.status_code == 404  # the owner's recording is not under the member's name
    gone = await harness.as_(Role.OWNER, "DELETE", "/api/voices/member")
    assert gone.json() == {"name": "member", "deleted": 1}
    assert [p["name"] for p in (await harness.as_(Role.OWNER, "GET", "/api/voices")).json()["people"]] == ["owner"]
    assert (await harness.as_(Role.OWNER, "DELETE", "/api/voices/nobody")).status_code == 404


async def test_only_an_owner_switches_strangers_as_guests_and_the_gate_follows_it(harness: ApiHarness) -> None:
    refused = await harness.as_(Role.MEMBER, "PUT", "/api/voices/settings", json={"strangers_as_guests": False})
    assert refused.status_code == 403
    odd = await harness.as_(Role.OWNER, "PUT", "/api/voices/settings", json={"strangers_as_guests": "maybe"})
    assert odd.status_code == 422
    done = await harness.as_(Role.OWNER, "PUT", "/api/voices/settings", json={"strangers_as_guests": False})
    assert done.status_code == 200
    assert (await harness.as_(Role.GUEST, "GET", "/api/voices")).json()["strangers_as_guests"] is False
    from jibsa.gate import HeardVoice, Principal, Via

    stranger = Principal("owner", Role.OWNER, Via.VOICE, voice=HeardVoice(None, 0.3))
    assert harness.running.gate.judged(stranger).role is Role.OWNER
    rows = await audit(harness, "voice_settings")
    assert [(r.user, r.ok) for r in rows] == [("member", False), ("owner", True)]
    assert rows[1].detail == {"strangers_as_guests": False}


async def test_bad_recordings_and_rooms_get_a_clear_answer(harness: ApiHarness, live_url: str, spoken: bytes) -> None:
    voice_on(harness)
    short = await enrol(live_url, harness.tokens[Role.MEMBER], spoken[:16_000])  # half a second
    assert short["type"] == "error" and short["code"] == "enrol_length", short
    silent = await enrol(live_url, harness.tokens[Role.MEMBER], float_to_pcm16(np.zeros(32_000, np.float32)))
    assert silent["type"] == "error" and silent["code"] == "no_speech"
    room = await enrol(live_url, harness.tokens[Role.MEMBER], spoken, my_room="attic")
    assert room["type"] == "error" and room["code"] == "unknown_room"
    voices = harness.running.voices
    assert voices is not None and voices.enrolled() == []


async def test_without_credentials_nothing_is_listed_or_changed(harness: ApiHarness) -> None:
    assert (await harness.client.get("/api/voices")).status_code == 401
    assert (await harness.client.delete("/api/voices/owner")).status_code == 401
    assert (await harness.client.put("/api/voices/settings", json={"strangers_as_guests": False})).status_code == 401
