"""`jibsa user add|list|passwd|token|remove`: the people who may use the home, and their access.

`add` prints a long-lived access token once; jibsa keeps only its SHA-256 hash.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from jibsa.cli.common import EXIT_REFUSED, add_home_options, add_language_option, cli_language
from jibsa.cli.help_words import HelpWords
from jibsa.domain import Role

EXIT_NOT_FOUND = 1


def register(subparsers: Any, words: HelpWords) -> None:
    user = subparsers.add_parser("user", help=words("user.command"))
    actions = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help=words("user.add"))
    add.add_argument("name", help=words("user.name"))
    add.add_argument("--role", choices=[r.value for r in Role], default="member", help=words("user.role"))
    add.add_argument("--password", action="store_true", help=words("user.password"))
    add.set_defaults(handler=_add)
    listing = actions.add_parser("list", help=words("user.list"))
    listing.set_defaults(handler=_list)
    passwd = actions.add_parser("passwd", help=words("user.passwd"))
    passwd.add_argument("name", help=words("user.name"))
    passwd.set_defaults(handler=_passwd)
    token = actions.add_parser("token", help=words("user.token"))
    token.add_argument("name", help=words("user.name"))
    token.add_argument("--revoke", action="store_true", help=words("user.revoke"))
    token.set_defaults(handler=_token)
    remove = actions.add_parser("remove", help=words("user.remove"))
    remove.add_argument("name", help=words("user.name"))
    remove.set_defaults(handler=_remove)
    for parser in (add, listing, passwd, token, remove):
        add_home_options(parser, words)
        add_language_option(parser, words)
        parser.add_argument("--db", metavar="URL", help=words("common.db"))


def ask_password(args: argparse.Namespace) -> str:
    """Asked twice on a terminal; read as one line from standard input otherwise (scripts, tests)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(_words(args, "password_prompt"))
    if first != getpass.getpass(_words(args, "password_again")):
        raise SystemExit(_words(args, "passwords_differ"))
    return first


def _words(args: argparse.Namespace, key: str, **values: Any) -> str:
    """One of the CLI's sentences in the language asked for (--lang, else the locale's)."""
    from jibsa.presentation.state_words import state_words

    return state_words(cli_language(args)).phrase(key, **values)


def _role(args: argparse.Namespace, role: str) -> str:
    from jibsa.presentation.state_words import state_words

    return state_words(cli_language(args)).role(role)


def _with_store(args: argparse.Namespace, body: Callable[[Any, str], Awaitable[int]]) -> int:
    from jibsa.app import Settings, open_store
    from jibsa.cli.common import data_dir, load_home_or_exit

    home_id = load_home_or_exit(args.home).home.id

    async def main() -> int:
        store = await open_store(Settings(home_file=args.home, data_dir=data_dir(args), db_url=args.db))
        try:
            return await body(store, home_id)
        finally:
            await store.close()

    return asyncio.run(main())


def _add(args: argparse.Namespace) -> int:
    from jibsa.api.accounts import add_user_with_token
    from jibsa.storage.errors import StorageConflict

    password = ask_password(args) if args.password else None
    if password is not None and len(password) < 8:
        print(_words(args, "password_short"), file=sys.stderr)
        return EXIT_REFUSED

    async def body(store: Any, home_id: str) -> int:
        try:
            _, token = await add_user_with_token(store, home_id, args.name, Role(args.role), password)
        except StorageConflict:
            print(_words(args, "user_exists", name=args.name), file=sys.stderr)
            return EXIT_REFUSED
        print(_words(args, "user_added", name=args.name, role=_role(args, args.role)))
        print(token)
        return 0

    return _with_store(args, body)


def _list(args: argparse.Namespace) -> int:
    from jibsa.api.accounts import role_of

    async def body(store: Any, home_id: str) -> int:
        for user in await store.list_users(home_id):
            login = _words(args, "login_password" if user.password_hash else "login_token_only")
            print(_words(args, "user_line", name=user.name, role=_role(args, role_of(user).value), login=login))
        return 0

    return _with_store(args, body)


def _passwd(args: argparse.Namespace) -> int:
    from jibsa.api.accounts import hash_password

    password = ask_password(args)
    if len(password) < 8:
        print(_words(args, "password_short"), file=sys.stderr)
        return EXIT_REFUSED

    async def body(store: Any, home_id: str) -> int:
        user = await _find(store, home_id, args)
        if user is None:
            return EXIT_NOT_FOUND
        await store.set_password(user.id, hash_password(password))  # also ends the person's login sessions
        print(_words(args, "password_set", name=args.name))
        return 0

    return _with_store(args, body)


def _token(args: argparse.Namespace) -> int:
    from jibsa.api.accounts import new_token, secret_hash

    async def body(store: Any, home_id: str) -> int:
        user = await _find(store, home_id, args)
        if user is None:
            return EXIT_NOT_FOUND
        if args.revoke:  # whoever held the old access, by token or by a logged-in browser, loses it
            await store.revoke_tokens(user.id)
            await store.end_sessions(user.id)
        token = new_token()
        await store.add_token(user.id, secret_hash(token), "jibsa user token")
        print(token)
        return 0

    return _with_store(args, body)


def _remove(args: argparse.Namespace) -> int:
    async def body(store: Any, home_id: str) -> int:
        user = await _find(store, home_id, args)
        if user is None:
            return EXIT_NOT_FOUND
        await store.revoke_tokens(user.id)
        await store.delete_user(user.id)
        print(_words(args, "user_removed", name=args.name))
        return 0

    return _with_store(args, body)


async def _find(store: Any, home_id: str, args: argparse.Namespace) -> Any:
    user = await store.get_user(home_id, args.name)
    if user is None:
        print(_words(args, "user_missing", name=args.name), file=sys.stderr)
    return user
