"""`jibsa energy bill --kwh N --month YYYY-MM [--voltage low|high] [--reading-day D] [--json]`: a month's
KEPCO bill, part by part, from the tariff file (jibsa/data/tariffs/)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from jibsa.cli.common import EXIT_REFUSED, add_language_option, cli_language
from jibsa.cli.help_words import HelpWords

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def register(subparsers: Any, words: HelpWords) -> None:
    energy = subparsers.add_parser("energy", help=words("energy.command"))
    sub = energy.add_subparsers(dest="energy_command", metavar="ACTION", required=True)
    bill = sub.add_parser("bill", help=words("energy.bill"))
    bill.add_argument("--kwh", required=True, type=float, help=words("energy.kwh"))
    bill.add_argument(
        "--month",
        required=True,
        metavar="YYYY-MM",
        help=words("energy.month"),
    )
    bill.add_argument("--voltage", choices=("low", "high"), default="low", help=words("energy.voltage"))
    bill.add_argument(
        "--reading-day",
        type=int,
        default=1,
        metavar="D",
        help=words("energy.reading_day"),
    )
    bill.add_argument("--json", action="store_true", help=words("energy.json"))
    add_language_option(bill, words)
    bill.set_defaults(handler=_bill)


def _bill(args: argparse.Namespace) -> int:
    from jibsa.energy import EnergyError, Voltage, compute_bill, cycle_starting, load_tariff
    from jibsa.energy.words import bill_lines, error_text, words

    language = cli_language(args)
    month = _MONTH.fullmatch(args.month)
    if month is None or not 1 <= int(month.group(2)) <= 12:
        print(words(language)["errors"]["bad_month"], file=sys.stderr)
        return EXIT_REFUSED
    if not 1 <= args.reading_day <= 31:
        print(words(language)["errors"]["bad_reading_day"], file=sys.stderr)
        return EXIT_REFUSED
    try:
        period = cycle_starting(int(month.group(1)), int(month.group(2)), args.reading_day)
        bill = compute_bill(load_tariff(), args.kwh, period, Voltage(args.voltage))
    except EnergyError as exc:
        print(error_text(exc, language), file=sys.stderr)
        return EXIT_REFUSED
    if args.json:
        print(json.dumps(bill.to_dict(), ensure_ascii=False))
    else:
        print("\n".join(bill_lines(bill, language)))
    return 0
