"""Options every `jibsa` command shares: --home, --data, and where the data directory lives."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from jibsa.domain import HomeFileError, LoadedHome
from jibsa.home_file import load_home

EXIT_REFUSED = 2


def default_data_dir() -> Path:
    """$JIBSA_DATA, else $XDG_DATA_HOME/jibsa, else ~/.local/share/jibsa."""
    if env := os.environ.get("JIBSA_DATA"):
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "jibsa"


def add_home_options(parser: argparse.ArgumentParser, *, data: bool = True) -> None:
    parser.add_argument("--home", metavar="FILE", default=os.environ.get("JIBSA_HOME"),
                        help="home file (YAML); default: the built-in sample home")
    if data:
        parser.add_argument("--data", metavar="DIR", type=Path, default=None,
                            help="data directory (default: ~/.local/share/jibsa)")


def load_home_or_exit(path: str | None) -> LoadedHome:
    """Load the home file; on a refused file print its one-line reason and exit with status 2."""
    try:
        loaded = load_home(path)
    except HomeFileError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return loaded


def data_dir(args: argparse.Namespace) -> Path:
    path: Path = args.data if getattr(args, "data", None) is not None else default_data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path
