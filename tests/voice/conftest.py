"""Voice test fixtures: the real Whisper base model (joined from the PyPI parts once per session and
shared by every test), espeak-ng recordings made at test time, the sample home with a token, and jibsa's
Wyoming service on a free loopback port."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Protocol

import pytest
import uvicorn

from jibsa.api import AuthSettings, create_app
from jibsa.api.accounts import add_user_with_token
from jibsa.api.routes_voice import enable_voice
from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Role
from jibsa.gate import Principal, Via
from jibsa.testing.processes import free_port
from jibsa.voice.model import model_folder
from jibsa.voice.service import VoiceService
from jibsa.voice.stt import WhisperRecognizer
from jibsa.voice.tts import EspeakSynthesizer
from jibsa.voice.voiceprints import Voiceprints
from jibsa.voice.wyoming_server import serve_wyoming


class ServeWyoming(Protocol):
    """The `serve_wyoming_as` fixture: serve as `principal`, matching voices against `voices` if given."""

    def __call__(
        self, service: VoiceService, principal: Principal, *, voices: Voiceprints | None = None
    ) -> Awaitable[int]: ...


@pytest.fixture(scope="session")
def whisper(tmp_path_factory: pytest.TempPathFactory) -> WhisperRecognizer:
    """One loaded model for the whole session (loading takes seconds; a test must not pay it again)."""
    return WhisperRecognizer(model_folder(tmp_path_factory.mktemp("voice-data")))


@pytest.fixture
def espeak(tmp_path: Path) -> Callable[..., Path]:
    """Make a WAV of `text` spoken by espeak-ng (22,050 Hz mono), optionally through sox effects."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng (Debian package)")

    def make(
        text: str,
        voice: str = "en-us",
        name: str = "said.wav",
        output: tuple[str, ...] = (),
        effects: tuple[str, ...] = (),
        *,
        speed: int = 150,
        pitch: int = 50,
    ) -> Path:
        """`output`: sox's options for the written file (-r 48000 -c 2 -b 8); `effects`: sox effects;
        `speed` (words a minute) and `pitch` (0-99): espeak-ng's."""
        out = tmp_path / name
        command = ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(out), text]
        subprocess.run(command, check=True)
        if output or effects:
            if shutil.which("sox") is None:
                pytest.skip("needs sox (Debian package)")
            changed = tmp_path / f"sox-{name}"
            subprocess.run(["sox", str(out), *output, str(changed), *effects], check=True)
            return changed
        return out

    return make


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[RunningHome]:
    home = await open_home(Settings(data_dir=tmp_path / "home"))
    yield home
    await home.close()


@pytest.fixture
async def owner_token(running: RunningHome) -> str:
    _, token = await add_user_with_token(
        running.store,
        running.hub.home.id,
        "owner",
        Role.OWNER,  # type: ignore[arg-type]
        "owner-password-1",
    )
    return str(token)


@pytest.fixture
async def serve_voice(running: RunningHome) -> AsyncIterator[Callable[[VoiceService], Awaitable[str]]]:
    """Serve the home's app with `/api/voice` backed by the given service, on a free loopback port."""
    servers: list[tuple[uvicorn.Server, asyncio.Task[None], socket.socket]] = []

    async def start(service: VoiceService) -> str:
        app = create_app(running, AuthSettings())
        enable_voice(app, None, service=service)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="websockets-sansio", lifespan="off"))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
            await asyncio.sleep(0.01)
        servers.append((server, task, sock))
        return f"127.0.0.1:{sock.getsockname()[1]}"

    yield start
    for server, task, sock in servers:
        server.should_exit = True
        server.force_exit = True  # do not wait for sockets a failed test left open
        await task
        sock.close()


@pytest.fixture
async def serve_wyoming_as(running: RunningHome) -> AsyncIterator[ServeWyoming]:
    """Serve the home's Wyoming service with `service`, acting as `principal`, on a free loopback port
    (returned once it accepts connections); stopped when the test ends."""
    tasks: list[asyncio.Task[None]] = []

    async def serve(service: VoiceService, principal: Principal, *, voices: Voiceprints | None = None) -> int:
        port = free_port()
        uri = f"tcp://127.0.0.1:{port}"
        tasks.append(asyncio.create_task(serve_wyoming(service, running.gate, principal, uri, voices=voices)))
        for _ in range(500):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.01)
                continue
            writer.close()
            return port
        raise AssertionError("the Wyoming server did not start")

    yield serve
    for task in tasks:
        task.cancel()


@pytest.fixture
async def wyoming_port(serve_wyoming_as: ServeWyoming, whisper: WhisperRecognizer) -> int:
    """The Wyoming service with the real Whisper model and espeak-ng, as a member's satellite."""
    satellite = Principal("kitchen-speaker", Role.MEMBER, Via.WYOMING)
    return await serve_wyoming_as(VoiceService(whisper, EspeakSynthesizer()), satellite)
