"""`jibsa home check FILE` and `jibsa home init PATH`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from jibsa.cli.common import EXIT_REFUSED


def register(subparsers: Any) -> None:
    home = subparsers.add_parser("home", help="check or create a home file")
    sub = home.add_subparsers(dest="home_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="validate a home file")
    check.add_argument("file", help="the home file (YAML)")
    check.set_defaults(handler=_check)
    init = sub.add_parser("init", help="write a copy of the sample home to edit")
    init.add_argument("path", help="where to write it")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.set_defaults(handler=_init)


def _check(args: argparse.Namespace) -> int:
    from jibsa.domain import HomeFileError
    from jibsa.home_file import load_home

    try:
        loaded = load_home(args.file)
    except HomeFileError as exc:
        print(exc)
        return EXIT_REFUSED
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{args.file}: ok: {loaded.home.summary()}")
    return 0


def _init(args: argparse.Namespace) -> int:
    from jibsa.home_file import sample_home_text

    path = Path(args.path)
    if path.exists() and not args.force:
        print(f"{path}: already exists (use --force to overwrite)", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sample_home_text(), encoding="utf-8")
    print(f"wrote {path}: edit it, then `jibsa home check {path}`")
    return 0
