"""A Matter light added by its code is switched by voice: espeak-ng speaks an English request, the real
Whisper model hears it through jibsa's voice service, and the light's own state (printed by the
matter.js device) says the command arrived. English, because espeak-ng's Korean is unintelligible to
any recogniser that runs here; the Korean path is the same after the transcript."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import pytest
from test_matter_end_to_end import commission, device_state

from jibsa.app import RunningHome
from jibsa.testing.matter_lab import MatterLab
from jibsa.voice.audio import read_wav
from jibsa.voice.model import model_folder
from jibsa.voice.service import VoiceService
from jibsa.voice.stt import WhisperRecognizer

pytestmark = pytest.mark.slow


def spoken(text: str, folder: Path) -> Path:
    if shutil.which("espeak-ng") is None:
        pytest.fail("needs espeak-ng (Debian package; .ci/run installs it)")
    wav = folder / "said.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), text], check=True)
    return wav


async def test_a_light_added_by_its_code_is_switched_on_by_voice(
    lab: MatterLab,
    matter_home: RunningHome,
    tmp_path: Path,
) -> None:
    devices = lab.devices(("light", "lamp"))
    device_id = await commission(matter_home, devices.devices["lamp"].manual_code, "안방 스탠드로 해줘")
    service = VoiceService(WhisperRecognizer(model_folder(tmp_path / "voice")), None)

    heard = await service.hear(
        read_wav(spoken("turn on the bedroom light", tmp_path).read_bytes()),
        "en",
        matter_home.conversation.parser,
        None,
    )
    assert "bedroom" in heard.transcript.lower(), heard.transcript
    turn = await matter_home.conversation.handle(heard.transcript)

    assert [r.target for r in turn.results] == [device_id], turn.reply
    assert [r.ok for r in turn.results] == [True], turn.reply
    state = await asyncio.wait_for(device_state(devices, "lamp", onOff=True), 40)
    assert state["onOff"] is True  # the light's own state, not jibsa's
    assert matter_home.hub.state(device_id)["power"] is True
