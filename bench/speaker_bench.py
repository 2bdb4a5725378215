"""Who is speaking, measured: espeak-ng voice variants stand in for speakers (espeak-ng and sox
make them; these are NOT real people: pitch, speed and noise alone are not a speaker). Each
stand-in enrols on some sentences and is tested on others.

    .venv/bin/python bench/speaker_bench.py

Prints the threshold curve (false accepts and false rejects per cosine threshold), the equal error
rate, closed-set identification (the closest voiceprint is the right one), milliseconds per 2.5 s
utterance and resident memory added by the encoder, then one JSON line:
{"speakers", "eer", "identified", "ms_per_utterance", ...}.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from jibsa.voice.audio import RATE, read_wav
from jibsa.voice.speaker import DEFAULT_THRESHOLD, SpeakerBook, embed
from jibsa.voice.speaker.mel import Floats

# name: (espeak voice, speed, pitch, sox effects applied to every utterance of this stand-in)
SPEAKERS: dict[str, tuple[str, int, int, tuple[str, ...]]] = {
    "us": ("en-us", 160, 50, ()),
    "gb": ("en-gb", 150, 45, ()),
    "m1": ("en+m1", 165, 40, ()),
    "m3": ("en+m3", 155, 55, ("tempo", "0.92")),
    "m5": ("en+m5", 170, 35, ()),
    "m7": ("en+m7", 150, 50, ("pitch", "-150")),
    "f1": ("en+f1", 160, 60, ()),
    "f2": ("en+f2", 175, 70, ("tempo", "1.08")),
    "f4": ("en+f4", 150, 65, ()),
    "us-high": ("en-us", 185, 80, ("pitch", "250")),
    "gb-m2": ("en-gb+m2", 140, 45, ("tempo", "0.88")),
    "us-f3": ("en-us+f3", 165, 55, ("pitch", "-100")),
}
ENROL = [
    "Turn off the light in the living room.",
    "Is the washing machine finished yet?",
    "Set the bedroom air conditioner to twenty four degrees.",
    "Good morning, what is the weather like today?",
]
TEST = [
    "Open the curtains in the study, please.",
    "How much electricity did we use this month?",
    "Remind me to water the plants at seven.",
    "Lock the front door and turn on the porch light.",
    "Play some quiet music in the kitchen.",
]
NOISE_SNR_DB = 20.0  # test utterances get white noise at this level; enrolment is clean


def speak(folder: Path, name: str, text: str, index: int, *, noisy: bool, rng: np.random.Generator) -> Floats:
    voice, speed, pitch, effects = SPEAKERS[name]
    raw, final = folder / f"{name}-{index}.wav", folder / f"{name}-{index}-fx.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), str(final), *effects], check=True)
    samples = read_wav(final.read_bytes())
    if noisy:
        power = float(np.mean(samples[np.abs(samples) > 0.01] ** 2))
        noise = rng.standard_normal(len(samples)) * np.sqrt(power / 10 ** (NOISE_SNR_DB / 10))
        samples = (samples + noise).astype(np.float32)
    return samples


def curve(genuine: list[float], impostor: list[float]) -> list[tuple[float, float, float]]:
    """(threshold, false accept rate, false reject rate) from 0.50 to 0.99."""
    rows = []
    for threshold in np.arange(0.50, 0.995, 0.01):
        far = float(np.mean(np.array(impostor) >= threshold))
        frr = float(np.mean(np.array(genuine) < threshold))
        rows.append((round(float(threshold), 2), far, frr))
    return rows


def equal_error_rate(genuine: list[float], impostor: list[float]) -> tuple[float, float]:
    """The rate where false accepts equal false rejects, and the threshold there (fine sweep)."""
    best = (1.0, 0.0, 0.0)
    for threshold in np.unique(np.concatenate([genuine, impostor])):
        far = float(np.mean(np.array(impostor) >= threshold))
        frr = float(np.mean(np.array(genuine) < threshold))
        if abs(far - frr) < best[0]:
            best = (abs(far - frr), (far + frr) / 2, float(threshold))
    return best[1], best[2]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def main() -> None:
    rng = np.random.default_rng(24)
    load = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        enrol = {n: [speak(folder, n, t, i, noisy=False, rng=rng) for i, t in enumerate(ENROL)] for n in SPEAKERS}
        test = {n: [speak(folder, n, t, 10 + i, noisy=True, rng=rng) for i, t in enumerate(TEST)] for n in SPEAKERS}
    before = rss_mb()
    embed(enrol["us"][0])  # loads the model
    added_mb = rss_mb() - before
    book = SpeakerBook()
    for name, utterances in enrol.items():
        book = book.enrolled(name, [embed(u) for u in utterances])
    genuine, impostor, identified, total = [], [], 0, 0
    for name, utterances in test.items():
        for utterance in utterances:
            vector = embed(utterance)
            for other, voiceprint in book.voiceprints.items():
                (genuine if other == name else impostor).append(float(np.dot(vector, voiceprint)))
            identified += book.match(vector).closest == name
            total += 1
    clip = np.resize(test["us"][0], int(2.5 * RATE)).astype(np.float32)
    timings = []
    for _ in range(30):
        start = time.perf_counter()
        embed(clip)
        timings.append((time.perf_counter() - start) * 1000)
    ms = statistics.median(timings)
    eer, eer_threshold = equal_error_rate(genuine, impostor)
    print(f"load average at start {' '.join(load)}, at end {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print("threshold  false-accept  false-reject")
    for threshold, far, frr in curve(genuine, impostor):
        print(f"  {threshold:.2f}      {far:6.1%}       {frr:6.1%}")
    print(
        f"{len(SPEAKERS)} stand-in speakers, {len(ENROL)} enrolment and {len(TEST)} test utterances each "
        f"(test with white noise at {NOISE_SNR_DB:.0f} dB SNR)"
    )
    print(
        f"EER {eer:.1%} at threshold {eer_threshold:.3f}; jibsa's threshold {DEFAULT_THRESHOLD}: "
        f"false accepts {np.mean(np.array(impostor) >= DEFAULT_THRESHOLD):.1%}, "
        f"false rejects {np.mean(np.array(genuine) < DEFAULT_THRESHOLD):.1%}"
    )
    print(f"closed-set identification {identified}/{total}")
    print(f"{ms:.1f} ms per 2.5 s utterance (median of {len(timings)}), {added_mb:.0f} MB resident added by the model")
    print(
        json.dumps(
            {
                "speakers": len(SPEAKERS),
                "eer": round(eer, 4),
                "identified": f"{identified}/{total}",
                "ms_per_utterance": round(ms, 1),
                "rss_added_mb": round(added_mb, 1),
                "threshold": DEFAULT_THRESHOLD,
                "eer_threshold": round(eer_threshold, 3),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
