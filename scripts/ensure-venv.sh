#!/usr/bin/env bash
# Make .venv (Python 3.11+) with jibsa installed, once; again only when pyproject.toml changes.
# Usage: scripts/ensure-venv.sh [EXTRA]   (EXTRA = dev for the test tools)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
extra=${1:-}
venv="$root/.venv"
python=${PYTHON:-python3}

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "jibsa needs Python 3.11 or newer ($python is $("$python" --version 2>&1))." >&2
    exit 1
fi
# One set-up at a time: `./jibsa simulate` and `./jibsa serve` started together must not both install.
exec 9<"${BASH_SOURCE[0]}"
command -v flock >/dev/null && flock 9
if [ ! -x "$venv/bin/python" ]; then
    if ! "$python" -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "installing Debian's python3-venv ..." >&2
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
            "$python" -m venv "$venv"
        else
            echo "Python's venv module is missing: on Debian, 'sudo apt-get install python3-venv', then try again." >&2
            exit 1
        fi
    fi
fi
stamp="$venv/.jibsa-installed${extra:+-$extra}"
want=$(sha256sum "$root/pyproject.toml" | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setting up jibsa in $venv (first time only) ..." >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
    spec="$root"
    [ -n "$extra" ] && spec="$root[$extra]"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$spec"
    echo "$want" > "$stamp"
fi
