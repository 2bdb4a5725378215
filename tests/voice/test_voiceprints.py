"""The household's enrolled voices as kept (issue 24): per account, embeddings only, in a 0600 file a
second process (`jibsa voice enroll`) may change under a running server; a broken file is named, not
guessed around; the CLI for households with recordings; and "목소리 등록해줘" in the conversation."""

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

from jibsa.app import RunningHome, Settings, open_store
from jibsa.cli.main import main
from jibsa.domain import Role
from jibsa.gate import Principal, Via
from jibsa.voice.audio import read_wav
from jibsa.voice.errors import VoiceError
from jibsa.voice.voiceprints import MAX_SAMPLES_PER_PERSON, Voiceprints


@pytest.fixture
def said(tmp_path: Path) -> list[Path]:
    """Three espeak-ng recordings of one stand-in voice."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng (Debian package)")
    files = []
    for index, text in enumerate(
        ("Turn the living room light on softly.", "Is the washing machine done yet?", "Close the study curtains.")
    ):
        out = tmp_path / f"said-{index}.wav"
        subprocess.run(["espeak-ng", "-v", "en+f4", "-w", str(out), text], check=True)
        files.append(out)
    return files


async def test_a_voice_is_kept_as_embeddings_in_a_private_file_and_read_by_another_instance(
    tmp_path: Path, said: list[Path]
) -> None:
    first = Voiceprints(tmp_path / "voices", "home", None)
    sample = await first.add_sample("u1", "mina", read_wav(said[0].read_bytes()), room="kids_room")
    assert 1.0 <= sample.seconds <= 15.0
    kept = json.loads(first.path.read_text(encoding="utf-8"))
    assert len(kept["people"]["u1"]["samples"][0]["embedding"]) == 256
    assert "audio" not in json.dumps(kept)
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    second = Voiceprints(tmp_path / "voices", "home", None)  # as a server sees `jibsa voice enroll`'s change
    assert [(v.name, v.room, len(v.samples)) for v in second.enrolled()] == [("mina", "kids_room", 1)]
    await first.add_sample("u1", "mina", read_wav(said[1].read_bytes()))
    assert len(second.enrolled()[0].samples) == 2 and second.enrolled()[0].room == "kids_room"
    assert await second.forget("u1", ["no-such-id"]) == 0
    assert await second.forget("u1") == 2 and first.enrolled() == []


async def test_a_broken_voices_file_is_named_with_the_problem(tmp_path: Path) -> None:
    voices = Voiceprints(tmp_path, "home", None)
    voices.path.write_text("{not json", encoding="utf-8")
    with pytest.raises(VoiceError) as broken:
        voices.enrolled()
    assert broken.value.code == "voices_unreadable" and str(voices.path) in str(broken.value)
    voices.path.write_text('{"people": []}', encoding="utf-8")
    with pytest.raises(VoiceError, match="no 'people' object"):
        voices.strangers_as_guests()


async def test_one_person_keeps_at_most_so_many_recordings(tmp_path: Path) -> None:
    voices = Voiceprints(tmp_path, "home", None, embed=lambda s: np.ones(256, np.float32) / 16)
    noise = np.random.default_rng(1).uniform(-0.3, 0.3, 16_000 * 2).astype(np.float32)
    for _ in range(MAX_SAMPLES_PER_PERSON):
        await voices.add_sample("u1", "mina", noise)
    with pytest.raises(VoiceError) as full:
        await voices.add_sample("u1", "mina", noise)
    assert full.value.code == "enrol_full"


async def test_no_voice_enrolled_means_no_voice_heard(tmp_path: Path) -> None:
    voices = Voiceprints(tmp_path, "home", None)
    assert await voices.identify(np.full(16_000, 0.1, np.float32)) is None


def test_the_command_line_enrols_lists_and_forgets_a_voice(
    tmp_path: Path, said: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["user", "add", "mina", "--role", "member", "--data", str(data)]) == 0
    capsys.readouterr()
    files = [str(f) for f in said]
    assert main(["voice", "enroll", "--user", "mina", "--room", "안방", "--data", str(data), *files]) == 0
    assert "mina님의 목소리를 등록했어요 (녹음 3개)." in capsys.readouterr().out
    assert main(["voice", "voices", "--data", str(data)]) == 0
    setting, person = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert setting == {"strangers_as_guests": True}
    assert person["name"] == "mina" and person["room"] == "master_bedroom" and len(person["samples"]) == 3
    assert main(["voice", "enroll", "--user", "nobody", "--data", str(data), files[0]]) == 2
    assert "'nobody' 계정이 없어요" in capsys.readouterr().err
    broken = tmp_path / "broken.wav"
    broken.write_text("not audio")
    assert main(["voice", "enroll", "--user", "mina", "--data", str(data), str(broken)]) == 2
    assert "broken.wav: 소리 파일을 읽지 못했어요" in capsys.readouterr().err
    assert main(["voice", "forget", "--user", "mina", "--data", str(data)]) == 0
    assert "녹음 3개를 지웠어요" in capsys.readouterr().out
    actions = [(r.user, r.action, r.detail["name"]) for r in asyncio.run(audit_rows(data))]
    assert actions == [("local", "voice_enrol", "mina")] * 3 + [("local", "voice_forget", "mina")]


async def audit_rows(data: Path) -> list[Any]:
    store: Any = await open_store(Settings(data_dir=data))
    try:
        return sorted(await store.audit("sample"), key=lambda r: r.at)
    finally:
        await store.close()


async def test_asking_to_enrol_in_the_conversation_gives_the_sentences_and_opens_the_sheet(
    running: RunningHome,
) -> None:
    owner = Principal("owner", Role.OWNER, Via.HTTP)
    turn = await running.gate.say(owner, "목소리 등록해줘")
    [outcome] = turn.outcomes
    assert outcome.answer["open"] == "voice_enrolment" and len(outcome.answer["sentences"]["ko"]) == 5
    assert turn.reply.startswith("목소리를 등록할게요.") and outcome.answer["sentences"]["ko"][0] in turn.reply
    english = await running.gate.say(owner, "enrol my voice")
    assert english.reply.startswith("Let's enrol your voice.")


def test_the_threshold_setting_is_checked_and_used(tmp_path: Path) -> None:
    from jibsa.app import check_settings, household_voices
    from jibsa.config import ConfigError

    settings = Settings(data_dir=tmp_path, adapter_settings={"voice": {"speaker_threshold": 0.8}})
    check_settings(settings)
    assert household_voices(settings, "home", None).book().threshold == 0.8
    assert household_voices(Settings(data_dir=tmp_path), "home", None).book().threshold == 0.74
    for wrong in (1.5, "high", True, 0):
        with pytest.raises(ConfigError, match=r"jibsa\.yaml: voice\.speaker_threshold: .* between 0 and 1"):
            check_settings(Settings(adapter_settings={"voice": {"speaker_threshold": wrong}}), "jibsa.yaml")
