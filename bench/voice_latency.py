"""Voice latency through the WebSocket path, as the dashboard uses it: English commands (espeak-ng,
1–3 s) streamed at real-time pace to `/api/voice` with no `stop` (the VAD finds the end), and the time
from the end of speech to the device's state change on `/api/events`. Also the split (VAD, final
decode, parse + execute, first audio of the spoken reply) and the server's memory with the model loaded.

    .venv/bin/python bench/voice_latency.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import uvicorn
import websockets

from jibsa.api import AuthSettings, create_app
from jibsa.api.accounts import add_user_with_token
from jibsa.api.routes_voice import enable_voice
from jibsa.app import Settings, open_home
from jibsa.domain import Role
from jibsa.voice.audio import RATE, float_to_pcm16, read_wav
from jibsa.voice.model import model_folder
from jibsa.voice.service import VoiceService
from jibsa.voice.stt import WhisperRecognizer
from jibsa.voice.tts import EspeakSynthesizer

CACHE = Path(__file__).parent / ".voice-cache"
FRAME_S = 0.1
TRAILING_SILENCE_S = 2.0
COMMANDS = [
    ("turn on the kitchen light", "kitchen_light"),
    ("turn off the kitchen light", "kitchen_light"),
    ("turn on the study light", "study_light"),
    ("turn off the study light", "study_light"),
    ("turn on the bedroom light", "master_light"),
    ("turn off the bedroom light", "master_light"),
]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def spoken(text: str, folder: Path) -> np.ndarray:
    path = folder / (text.replace(" ", "_") + ".wav")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(path), text], check=True)
    return read_wav(path.read_bytes())


async def one_utterance(
    url: str,
    token: str,
    audio: np.ndarray,
    device: str,
    *,
    speech_end_s: float,
    events: asyncio.Queue[tuple[float, dict[str, Any]]],
) -> dict[str, float]:
    pcm = float_to_pcm16(np.concatenate([audio, np.zeros(int(TRAILING_SILENCE_S * RATE), np.float32)]))
    frame = int(FRAME_S * RATE) * 2
    times: dict[str, float] = {}
    async with websockets.connect(f"ws://{url}/api/voice?token={token}", max_size=None) as ws:
        await ws.send(json.dumps({"type": "start", "language": "en", "speak": True}))
        started = time.perf_counter()

        async def stream() -> None:
            for index, offset in enumerate(range(0, len(pcm), frame)):
                await asyncio.sleep(max(0.0, started + index * FRAME_S - time.perf_counter()))
                await ws.send(pcm[offset : offset + frame])

        sender = asyncio.create_task(stream())
        while "audio" not in times:
            message = await asyncio.wait_for(ws.recv(), 60)
            if isinstance(message, bytes):
                continue
            body = json.loads(message)
            times.setdefault(body["type"], time.perf_counter())
            if body["type"] == "transcript":
                times.update(vad_ms=body["vad_ms"], stt_ms=body["stt_ms"], reused=float(body["decoded_while_speaking"]))
            if body["type"] == "error":
                raise RuntimeError(body)
        sender.cancel()
    while True:
        at, event = await asyncio.wait_for(events.get(), 30)
        if event.get("type") == "state_changed" and event.get("device") == device:
            times["state"] = at
            break
    speech_end = started + speech_end_s
    return {
        "latency": times["state"] - speech_end,
        "transcript": times["transcript"] - speech_end,
        "execute": times["state"] - times["transcript"],
        "tts_first_audio": times["audio"] - times["turn"],
        "vad_ms": times["vad_ms"],
        "stt_ms": times["stt_ms"],
        "reused": times["reused"],
    }


async def watch(url: str, token: str, events: asyncio.Queue[tuple[float, dict[str, Any]]]) -> None:
    async with websockets.connect(f"ws://{url}/api/events?token={token}") as ws:
        async for message in ws:
            await events.put((time.perf_counter(), json.loads(message)))


def summary(name: str, values: list[float], unit: str = "s") -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"{name:<34} p50 {statistics.median(ordered):6.2f} {unit}   p95 {p95:6.2f} {unit}"
        f"   max {ordered[-1]:6.2f} {unit}"
    )


async def main(rounds: int) -> None:
    folder = Path(tempfile.mkdtemp())
    before = rss_mb()
    recognizer = WhisperRecognizer(model_folder(CACHE / "data"))
    service = VoiceService(recognizer, EspeakSynthesizer())
    loaded = rss_mb()
    running = await open_home(Settings(data_dir=folder / "home"))
    _, token = await add_user_with_token(running.store, running.hub.home.id, "bench", Role.OWNER, "bench-password-1")
    app = create_app(running, AuthSettings())
    enable_voice(app, None, service=service)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="websockets-sansio", lifespan="off"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    url = f"127.0.0.1:{sock.getsockname()[1]}"
    events: asyncio.Queue[tuple[float, dict[str, Any]]] = asyncio.Queue()
    watcher = asyncio.create_task(watch(url, token, events))
    clips = [(spoken(text, folder), device) for text, device in COMMANDS]
    results = []
    for index in range(rounds + 1):
        audio, device = clips[index % len(clips)]
        end = recognizer.speech_end(audio) or len(audio) / RATE
        while not events.empty():
            events.get_nowait()
        result = await one_utterance(url, token, audio, device, speech_end_s=end, events=events)
        if index:  # the first round warms up
            results.append({**result, "speech_s": end})
    print(
        f"utterances: {len(results)}, speech {min(r['speech_s'] for r in results):.1f}–"
        f"{max(r['speech_s'] for r in results):.1f} s, decoded while speaking: "
        f"{sum(r['reused'] for r in results):.0f}/{len(results)}"
    )
    for key in ("latency", "transcript", "execute", "tts_first_audio"):
        print(
            summary(
                {
                    "latency": "end of speech -> state changed",
                    "transcript": "end of speech -> transcript",
                    "execute": "transcript -> state (parse+execute)",
                    "tts_first_audio": "turn -> reply audio",
                }[key],
                [r[key] for r in results],
            )
        )
    print(summary("VAD of the final (ms)", [r["vad_ms"] for r in results], "ms"))
    print(summary("decode of the final (ms)", [r["stt_ms"] for r in results], "ms"))
    print(f"memory: {before:.0f} MB before the model, {loaded:.0f} MB loaded, {rss_mb():.0f} MB after the run")
    latencies = sorted(r["latency"] for r in results)
    line = {
        "bench": "voice_latency",
        "rounds": len(results),
        "p50_s": round(statistics.median(latencies), 3),
        "p95_s": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 3),
        "stages_s_p50": {
            key: round(statistics.median(r[key] for r in results), 3) for key in ("transcript", "execute")
        },
        "vad_ms_p50": round(statistics.median(r["vad_ms"] for r in results)),
        "decode_p50_ms": round(statistics.median(r["stt_ms"] for r in results)),
        "decoded_while_speaking": int(sum(r["reused"] for r in results)),
        "rss_mb": round(rss_mb()),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(line))
    watcher.cancel()
    server.should_exit = True
    await serving
    await running.close()


if __name__ == "__main__":
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--rounds", type=int, default=20)
    asyncio.run(main(options.parse_args().rounds))
    sys.exit(0)
