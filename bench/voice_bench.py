"""Spoken-command accuracy: the voice test set, generated with espeak-ng (and sox), scored through the
real recogniser and parser.

    .venv/bin/python bench/voice_bench.py                    # generate (cached) and score the espeak set
    .venv/bin/python bench/voice_bench.py --manifest FILE    # score any manifest, e.g. real recordings

A manifest is JSONL, one utterance a line: {"file", "text", "language", "room"?, "expected": [{"intent",
"targets"}], "variant"?, "wav_base64"?}; `file` is relative to the manifest unless the recording is
inline (`wav_base64`, as the dashboard's "목소리 점검" downloads it). Reported per variant: typed
accuracy (the parser on the sentence itself), spoken accuracy with plain recognition (the recogniser's
best hypothesis) and home-aware recognition (the hypothesis the parser understands), character error
rate, and decoding time. "wrong" counts requests that would have carried out something other than what
was said (the opposite, or another device; a question answered instead is a miss, not a wrong action);
"asked" counts those where the home-aware choice asked
instead of acting. The confusion table lists every wrong action: said → done.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import wave
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.voice.audio import RATE, read_wav
from jibsa.voice.choice import choose_understood
from jibsa.voice.home_words import home_words
from jibsa.voice.model import model_folder
from jibsa.voice.stt import HOTWORD_BEAM, NOISE_SUPPRESSION, WINDOW_S, WhisperRecognizer

HERE = Path(__file__).parent
CACHE = HERE / ".voice-cache"
VOICES = {"en": "en-us", "ko": "ko"}
CLEAN = [("s130-p40", 130, 40), ("s160-p50", 160, 50), ("s190-p65", 190, 65)]
NOISE_DB = (20, 10)
TEMPI = (0.9, 1.1)


def generate(cache: Path) -> Path:
    """Write the espeak set (once) and its manifest into `cache`."""
    manifest = cache / "manifest.jsonl"
    sentences_file = HERE / "voice_commands.yaml"
    if manifest.exists() and manifest.stat().st_mtime >= sentences_file.stat().st_mtime:
        return manifest
    cache.mkdir(parents=True, exist_ok=True)
    sentences = yaml.safe_load(sentences_file.read_text(encoding="utf-8"))
    rng = np.random.default_rng(12)
    lines = []
    for language, items in sentences.items():
        for index, item in enumerate(items):
            for variant, path in _variants(cache, language, index, item["text"], rng):
                lines.append(
                    {
                        "file": path.name,
                        "text": item["text"],
                        "language": language,
                        "expected": item["expected"],
                        "variant": f"{language}-{variant}",
                    }
                )
    manifest.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return manifest


def _variants(cache: Path, language: str, index: int, text: str, rng: np.random.Generator) -> list[tuple[str, Path]]:
    made = []
    for name, speed, pitch in CLEAN:
        path = cache / f"{language}{index:02d}-{name}.wav"
        subprocess.run(
            ["espeak-ng", "-v", VOICES[language], "-s", str(speed), "-p", str(pitch), "-w", str(path), text], check=True
        )
        made.append((f"clean-{name}", path))
    base = made[1][1]
    for snr in NOISE_DB:
        made.append((f"noise-{snr}dB", _with_noise(base, cache / f"{base.stem}-n{snr}.wav", snr, rng)))
    for tempo in TEMPI:
        path = cache / f"{base.stem}-t{tempo}.wav"
        subprocess.run(["sox", str(base), str(path), "tempo", str(tempo)], check=True)
        made.append((f"tempo-{tempo}", path))
    return made


def _with_noise(source: Path, target: Path, snr_db: float, rng: np.random.Generator) -> Path:
    """White noise at `snr_db` below the speech's power (measured where the signal is not silent)."""
    samples = read_wav(source.read_bytes())
    speech = samples[np.abs(samples) > 0.01]
    power = float(np.mean(speech**2)) if len(speech) else 1e-4
    noisy = samples + rng.standard_normal(len(samples)).astype(np.float32) * np.sqrt(power / 10 ** (snr_db / 10))
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(noisy, -1, 1) * 32767).astype("<i2").tobytes())
    return target


def matches(commands: list[Any], expected: list[dict[str, Any]]) -> bool:
    got = [(c.intent, sorted(c.targets)) for c in commands]
    return got == [(e["intent"], sorted(e["targets"])) for e in expected]


def cer(heard: str, said: str) -> float:
    """Character error rate (edit distance / length), ignoring case, spaces and punctuation."""
    a = [c for c in heard.lower() if c.isalnum()]
    b = [c for c in said.lower() if c.isalnum()]
    row = list(range(len(a) + 1))
    for j, cb in enumerate(b, 1):
        previous, row[0] = row[0], j
        for i, ca in enumerate(a, 1):
            previous, row[i] = row[i], min(row[i] + 1, row[i - 1] + 1, previous + (ca != cb))
    return row[len(a)] / max(1, len(b))


def score(
    manifest: Path, recognizer: WhisperRecognizer, only: str = "", *, with_home_words: bool = True
) -> list[dict[str, Any]]:
    home = load_home(None).home
    parsers = {lang: Parser(home, lang) for lang in ("ko", "en")}
    results = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if not item.get("variant", "recorded").startswith(only):
            continue
        inline = item.get("wav_base64")
        audio = read_wav(base64.b64decode(inline) if inline else (manifest.parent / item["file"]).read_bytes())
        parser = parsers[item.get("language", "ko")]
        words = home_words(home, parser.language) if with_home_words else None
        results.append(score_one(item, audio, recognizer, parser, words))
    return results


def score_one(
    item: dict[str, Any], audio: np.ndarray, recognizer: WhisperRecognizer, parser: Parser, hotwords: str | None = None
) -> dict[str, Any]:
    room = item.get("room")

    def understand(text: str) -> Any:
        return parser.parse(text, room=room)

    started = time.perf_counter()
    recognition = recognizer.recognize(audio, item.get("language", "ko"), hotwords)
    seconds = time.perf_counter() - started
    chose = time.perf_counter()
    aware = choose_understood(recognition.alternatives, understand, parser.home)
    choice_ms = (time.perf_counter() - chose) * 1000
    expected = item["expected"]
    plain_done = list(understand(recognition.text).commands)
    aware_done = list(aware.understanding.commands) if aware.acts and aware.understanding else []
    return {
        "variant": item.get("variant", "recorded"),
        "text": item["text"],
        "heard": recognition.text,
        "alternatives": [[h.text, round(h.score, 3)] for h in recognition.alternatives],
        "chosen": aware.text,
        "score": recognition.alternatives[aware.rank].score if recognition.alternatives else None,
        "typed": matches(list(understand(item["text"]).commands), expected),
        "plain": matches(plain_done, expected),
        "plain_wrong": _wrong(plain_done, expected),
        "aware": matches(aware_done, expected),
        "aware_wrong": _wrong(aware_done, expected),
        "asked": bool(aware.asks) or aware.doubtful,
        "doubted": aware.doubtful,
        "expected": _said(expected),
        "done": _said(c.to_dict() for c in aware_done),
        "cer": cer(recognition.text, item["text"]),
        "seconds": seconds,
        "audio_s": len(audio) / RATE,
        "vad_ms": recognition.vad_ms,
        "denoise_ms": recognition.denoise_ms,
        "stt_ms": recognition.stt_ms,
        "stages_ms": list(recognition.stages_ms),
        "choice_ms": choice_ms,
    }


def _wrong(done: list[Any], expected: list[dict[str, Any]]) -> bool:
    """Something was carried out, and it is not what was said. A question answered instead ("Closed the
    curtain?" read as asking whether it is closed) changes nothing: a miss, not a wrong action."""
    acts = [c for c in done if not c.intent.startswith("query")]  # query_state, query_home, ...
    return bool(acts) and not matches(done, expected)


def _said(commands: Any) -> str:
    return "; ".join(f"{c['intent']} {','.join(sorted(c['targets']))}" for c in commands) or "-"


def _group(variant: str) -> str:
    """ "en-clean-s130-p40" → "en-clean (all)"; a variant with no "-" (a recording) is its own group."""
    return "-".join(variant.split("-")[:2]) + " (all)"


def report(results: list[dict[str, Any]]) -> None:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        groups[result["variant"]].append(result)
        groups[_group(result["variant"])].append(result)
    print(
        f"{'variant':<22}{'n':>4}{'typed':>7}{'plain':>7}{'aware':>7}{'asked':>7}{'wrong plain':>12}"
        f"{'wrong aware':>12}{'CER':>6}{'decode p50':>11}{'p95':>7}"
    )
    for name in sorted(groups):
        rows = groups[name]
        pct = {k: 100 * sum(r[k] for r in rows) / len(rows) for k in ("typed", "plain", "aware", "asked")}
        times = sorted(r["seconds"] for r in rows)
        print(
            f"{name:<22}{len(rows):>4}{pct['typed']:>6.0f}%{pct['plain']:>6.0f}%{pct['aware']:>6.0f}%"
            f"{pct['asked']:>6.0f}%{sum(r['plain_wrong'] for r in rows):>12}{sum(r['aware_wrong'] for r in rows):>12}"
            f"{statistics.mean(r['cer'] for r in rows):>6.2f}{times[len(times) // 2]:>10.2f}s"
            f"{times[int(len(times) * 0.95)]:>6.2f}s"
        )
    english = [r for r in results if r["variant"].startswith("en")] or results
    if english:
        print(
            f"time per request (ms, p50): noise suppression {_p50(english, 'denoise_ms'):.0f}, "
            f"VAD {_p50(english, 'vad_ms'):.0f}, decode {_p50(english, 'stt_ms'):.0f}, "
            f"choice {_p50(english, 'choice_ms'):.1f}"
        )
    confusion = Counter((r["expected"], r["done"]) for r in results if r["aware_wrong"])
    print("confusion (home-aware wrong actions): said -> done" + ("" if confusion else ": none"))
    for (said, done), count in confusion.most_common():
        print(f"  {count:>3} x  {said}  ->  {done}")
    misses = [r for r in english if not r["aware"]]
    for r in misses[:15]:
        how = "asked" if r["asked"] else "wrong" if r["aware_wrong"] else "answered" if r["done"] != "-" else "nothing"
        print(f"  miss ({how}) {r['variant']}: said {r['text']!r}, heard {r['heard']!r}, chose {r['chosen']!r}")


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """One line for the record: per variant group, understood (home-aware) %, wrong actions, asked, and
    the time per request; the time of each stage (p50 over all requests); the process's memory; with the
    machine's load average."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        groups[_group(result["variant"])].append(result)
        groups[result["variant"]].append(result)
    return {
        "bench": "voice_bench",
        "variants": {
            name: {
                "n": len(rows),
                "understood_pct": round(100 * sum(r["aware"] for r in rows) / len(rows), 1),
                "wrong": sum(r["aware_wrong"] for r in rows),
                "asked": sum(r["asked"] for r in rows),
                "ms_p50": round(1000 * statistics.median(r["seconds"] for r in rows)),
                "ms_p95": round(1000 * _p95([r["seconds"] for r in rows])),
            }
            for name, rows in sorted(groups.items())
        },
        "stages_ms_p50": _stages(results),
        "rss_mb": round(rss_mb()),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }


def _stages(results: list[dict[str, Any]]) -> dict[str, float]:
    """The p50 of each stage of a request, in milliseconds."""
    decoded = [r["stages_ms"] for r in results if r["stages_ms"]]
    parts = {"denoise": [r["denoise_ms"] for r in results], "vad": [r["vad_ms"] for r in results]}
    for index, name in enumerate(("encode", "beam", "hotword_beam")):
        parts[name] = [s[index] for s in decoded if len(s) > index]
    parts["choice"] = [r["choice_ms"] for r in results]
    return {name: round(statistics.median(values), 1) for name, values in parts.items() if values}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def rss_mb() -> float:
    """This process's resident memory (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def latency(rounds: int) -> dict[str, Any]:
    """bench/voice_latency.py's summary line: end of speech → device state change over the dashboard's socket,
    its split, and the server's memory after the run."""
    run = subprocess.run(
        [sys.executable, str(HERE / "voice_latency.py"), "--rounds", str(rounds)],
        check=True,
        capture_output=True,
        text=True,
    )
    print(run.stdout, end="")
    found: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return found


def _p50(rows: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in rows))


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    options.add_argument("--manifest", type=Path, help="score this manifest instead of the espeak set")
    options.add_argument("--beam", type=int, default=5, help="beam size = hypotheses (default 5)")
    options.add_argument(
        "--denoise",
        type=int,
        default=NOISE_SUPPRESSION,
        help=f"noise suppression level 0-4 (default {NOISE_SUPPRESSION})",
    )
    options.add_argument("--window", type=float, default=WINDOW_S, help=f"encoder window, s (default {WINDOW_S})")
    options.add_argument(
        "--hot-beam", type=int, default=HOTWORD_BEAM, help=f"beam with the home's words (default {HOTWORD_BEAM})"
    )
    options.add_argument("--no-home-words", action="store_true", help="recognise without the home's words")
    options.add_argument("--only", default="", help="score only variants starting with this (e.g. en-clean)")
    options.add_argument("--json", type=Path, help="also write every result here")
    options.add_argument(
        "--latency",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="then also run bench/voice_latency.py (ROUNDS utterances) and put its figures in the summary line",
    )
    args = options.parse_args()
    if args.manifest is None and not (shutil.which("espeak-ng") and shutil.which("sox")):
        print("needs espeak-ng and sox (apt-get install espeak-ng sox)", file=sys.stderr)
        return 2
    manifest = args.manifest or generate(CACHE)
    recognizer = WhisperRecognizer(
        model_folder(CACHE / "data"),
        beam_size=args.beam,
        noise_suppression=args.denoise,
        window_s=args.window,
        hotword_beam=args.hot_beam,
    )
    results = score(manifest, recognizer, args.only, with_home_words=not args.no_home_words)
    report(results)
    line = summary(results)
    if args.latency:  # in a process of its own: its memory is the server's alone
        line["latency"] = latency(args.latency)
    print(json.dumps(line))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
