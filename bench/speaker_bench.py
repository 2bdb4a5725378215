"""Who is speaking, measured: espeak-ng voice variants stand in for speakers (espeak-ng and sox
make them; these are NOT real people: pitch, speed and noise alone are not a speaker). Each
stand-in enrols on some sentences and is tested on others.

    .venv/bin/python bench/speaker_bench.py
    .venv/bin/python bench/speaker_bench.py --speakers 4 --enrol 2 --test 2 --rounds 3   # short (CI)
    .venv/bin/python bench/speaker_bench.py --recordings DIR   # a household's own recordings

With --recordings, DIR holds one folder per person of WAV files (what the person said, any words):
the first half of each folder's files (by name) enrol, the rest are tested. These are the figures
that say something about real people; the espeak-ng ones do not.

Prints the threshold curve (false accepts and false rejects per cosine threshold), the equal error
rate, closed-set identification (the closest voiceprint is the right one), milliseconds per 2.5 s
utterance and resident memory added by the encoder, then one JSON line:
{"speakers", "eer", "identified", "ms_per_utterance", ...}.
"""

from __future__ import annotations

import argparse
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


def stand_ins(
    speakers: int, enrol_count: int, test_count: int
) -> tuple[dict[str, list[Floats]], dict[str, list[Floats]]]:
    """Enrolment and test utterances of `speakers` espeak-ng stand-ins."""
    rng = np.random.default_rng(24)
    every = list(SPEAKERS)  # spread over the table: its neighbours are alike (two en males, two en females)
    names = [every[round(i)] for i in np.linspace(0, len(every) - 1, speakers)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        enrol = {
            n: [speak(folder, n, t, i, noisy=False, rng=rng) for i, t in enumerate(ENROL[:enrol_count])] for n in names
        }
        test = {
            n: [speak(folder, n, t, 10 + i, noisy=True, rng=rng) for i, t in enumerate(TEST[:test_count])]
            for n in names
        }
    return enrol, test


def recordings(folder: Path) -> tuple[dict[str, list[Floats]], dict[str, list[Floats]]]:
    """A household's recordings: one folder per person; the first half of each enrols, the rest test."""
    enrol: dict[str, list[Floats]] = {}
    test: dict[str, list[Floats]] = {}
    for person in sorted(p for p in folder.iterdir() if p.is_dir()):
        files = sorted(person.glob("*.wav"))
        if len(files) < 2:
            raise SystemExit(f"{person}: needs at least 2 WAV files (one to enrol, one to test)")
        audio = [read_wav(f.read_bytes()) for f in files]
        enrol[person.name], test[person.name] = audio[: len(audio) // 2], audio[len(audio) // 2 :]
    if len(enrol) < 2:
        raise SystemExit(f"{folder}: needs folders of at least 2 people")
    return enrol, test


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speakers", type=int, default=len(SPEAKERS), help="how many stand-ins (2-12)")
    parser.add_argument("--enrol", type=int, default=len(ENROL), help="enrolment sentences per stand-in")
    parser.add_argument("--test", type=int, default=len(TEST), help="test sentences per stand-in")
    parser.add_argument("--rounds", type=int, default=30, help="timed embeddings of a 2.5 s utterance")
    parser.add_argument("--recordings", type=Path, help="a folder of people's folders of WAV files")
    args = parser.parse_args()
    if not 2 <= args.speakers <= len(SPEAKERS) or not 1 <= args.enrol <= len(ENROL) or not 1 <= args.test <= len(TEST):
        parser.error(f"--speakers 2-{len(SPEAKERS)}, --enrol 1-{len(ENROL)}, --test 1-{len(TEST)}")
    return args


def main() -> None:
    args = arguments()
    load = Path("/proc/loadavg").read_text().split()[:3]
    if args.recordings is not None:
        enrol, test = recordings(args.recordings)
        source = f"household recordings in {args.recordings}"
    else:
        enrol, test = stand_ins(args.speakers, args.enrol, args.test)
        source = (
            f"espeak-ng stand-ins (not people), {args.enrol} enrolment and {args.test} test utterances each "
            f"(test with white noise at {NOISE_SNR_DB:.0f} dB SNR)"
        )
    before = rss_mb()
    embed(next(iter(enrol.values()))[0])  # loads the model
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
    clip = np.resize(next(iter(test.values()))[0], int(2.5 * RATE)).astype(np.float32)
    timings = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        embed(clip)
        timings.append((time.perf_counter() - start) * 1000)
    ms = statistics.median(timings)
    eer, eer_threshold = equal_error_rate(genuine, impostor)
    print(f"load average at start {' '.join(load)}, at end {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print("threshold  false-accept  false-reject")
    for threshold, far, frr in curve(genuine, impostor):
        print(f"  {threshold:.2f}      {far:6.1%}       {frr:6.1%}")
    print(f"{len(enrol)} speakers: {source}")
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
                "speakers": len(enrol),
                "source": "recordings" if args.recordings is not None else "espeak-ng",
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
