"""`./jibsa`, the checkout's launcher: once set up it is one exec of the venv's jibsa (no set-up check, which
cost about 0.3 s a call under load); when pyproject.toml is newer than the last set-up it runs
scripts/ensure-venv.sh first. Tried in a copy of the checkout's layout whose venv and set-up script are small
shell scripts that say they ran (the real set-up installs packages: minutes)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _checkout(tmp_path: Path) -> Path:
    tmp_path.mkdir(exist_ok=True)
    shutil.copy(ROOT / "jibsa", tmp_path / "jibsa")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'jibsa'\n", encoding="utf-8")
    for path, body in (
        (".venv/bin/jibsa", 'echo "jibsa $*"'),
        ("scripts/ensure-venv.sh", f'echo set-up >> "{tmp_path}/set-up.log"'),
    ):
        script = tmp_path / path
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        script.chmod(0o755)
    return tmp_path


def _run(checkout: Path, *args: str) -> str:
    done = subprocess.run([str(checkout / "jibsa"), *args], capture_output=True, text=True, check=True, timeout=30)
    return done.stdout


def test_set_up_once_then_a_single_exec(tmp_path: Path) -> None:
    checkout = _checkout(tmp_path)
    assert _run(checkout, "say", "불 꺼") == "jibsa say 불 꺼\n"  # never set up: the set-up runs first
    assert (checkout / "set-up.log").read_text() == "set-up\n"
    assert _run(checkout, "status") == "jibsa status\n"
    assert (checkout / "set-up.log").read_text() == "set-up\n"  # set up already: straight to jibsa
    later = time.time() + 5
    os.utime(checkout / "pyproject.toml", (later, later))  # the project changed: set up again
    _run(checkout, "--version")
    assert (checkout / "set-up.log").read_text() == "set-up\nset-up\n"


def test_it_works_from_another_directory(tmp_path: Path) -> None:
    _checkout(tmp_path / "checkout")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        ["../checkout/jibsa", "--help"], cwd=elsewhere, capture_output=True, text=True, check=True, timeout=30
    )
    assert done.stdout == "jibsa --help\n"
