"""Convert resemblyzer's GE2E speaker encoder to ONNX and record reference embeddings.

Runs once, by hand, in a throw-away venv that has torch (jibsa's own install never does):

    scripts/convert_speaker_encoder.sh          # makes the venv and runs this script

Writes:
- src/jibsa/voice/speaker/ge2e.onnx         the encoder: mels (batch, 160, 40) -> unit embeddings (batch, 256)
- src/jibsa/voice/speaker/ge2e.onnx.sha256  its checksum, checked when jibsa loads it
- tests/voice/data/speaker_reference.npz    a few espeak-ng utterances (16 kHz int16), the mel
  frames of their first partial, that partial's embedding and the utterances' embeddings, all
  computed by resemblyzer itself, so a test can tell when the ONNX model or jibsa's numpy
  preprocessing drifts from the original.

The reference leaves out resemblyzer's webrtcvad silence trimming (jibsa does not do it); it is
resemblyzer's `embed_utterance` on the volume-normalised waveform, which is what jibsa computes.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np
import onnx
import torch
from resemblyzer import VoiceEncoder, audio, hparams

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "src" / "jibsa" / "voice" / "speaker" / "ge2e.onnx"
REFERENCE = ROOT / "tests" / "voice" / "data" / "speaker_reference.npz"
UTTERANCES = [
    ("en-us", 160, 50, "Turn off the light in the living room, please."),
    ("en-gb+m3", 140, 40, "Is the washing machine finished yet?"),
    ("en-us+f2", 175, 70, "Set the bedroom air conditioner to twenty four degrees."),
    ("ko", 160, 50, "거실 불 꺼줘. 세탁기 다 됐어?"),
]


def speak(voice: str, speed: int, pitch: int, text: str, folder: Path) -> np.ndarray:
    """espeak-ng's speech, resampled by sox to 16 kHz mono 16-bit, as int16 samples."""
    raw, wav16 = folder / "raw.wav", folder / "16k.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", str(hparams.sampling_rate), "-c", "1", "-b", "16", str(wav16)], check=True)
    with wave.open(str(wav16)) as reader:
        return np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").copy()


def export(encoder: VoiceEncoder, target: Path) -> None:
    example = torch.zeros(2, hparams.partials_n_frames, hparams.mel_n_channels)
    torch.onnx.export(
        encoder,
        (example,),
        str(target),
        input_names=["mels"],
        output_names=["embeddings"],
        dynamic_axes={"mels": {0: "batch"}, "embeddings": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    onnx.checker.check_model(onnx.load(str(target)))
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    target.with_name(target.name + ".sha256").write_text(f"{digest}  {target.name}\n", encoding="ascii")


def record(encoder: VoiceEncoder, target: Path) -> None:
    samples, lengths, embeddings, first_mels = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for voice, speed, pitch, text in UTTERANCES:
            pcm = speak(voice, speed, pitch, text, Path(folder))
            wav = audio.normalize_volume(
                pcm.astype(np.float32) / 32768.0, hparams.audio_norm_target_dBFS, increase_only=True
            )
            embeddings.append(encoder.embed_utterance(wav))
            first_mels.append(audio.wav_to_mel_spectrogram(wav)[: hparams.partials_n_frames])
            samples.append(pcm)
            lengths.append(len(pcm))
    with torch.no_grad():
        first_partials = encoder(torch.from_numpy(np.stack(first_mels))).numpy()
    target.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        target,
        samples=np.concatenate(samples),
        lengths=np.array(lengths),
        embeddings=np.stack(embeddings).astype(np.float32),
        first_mels=np.stack(first_mels),
        first_partial_embeddings=first_partials,
        voices=np.array([u[0] for u in UTTERANCES]),
    )


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    torch.manual_seed(0)
    encoder = VoiceEncoder(device="cpu", verbose=False).eval()
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    export(encoder, MODEL)
    record(encoder, REFERENCE)
    print(f"{MODEL.relative_to(ROOT)}: {MODEL.stat().st_size / 1e6:.1f} MB")
    print(f"{REFERENCE.relative_to(ROOT)}: {REFERENCE.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
