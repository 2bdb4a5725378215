#!/usr/bin/env bash
# Set up, once, what the Matter tests and benchmark need besides Debian's packages: the virtual devices'
# npm packages (tests/adapters/matter/devices, from its lockfile) and the controller's own venv
# (.venv-matter: python-matter-server[server], which pins libraries older than jibsa's venv has).
# Debian packages (.ci/run installs them): iproute2, libnl-route-3-200; and a writable /data.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec 9<"${BASH_SOURCE[0]}"
command -v flock >/dev/null && flock 9
devices="$root/tests/adapters/matter/devices"
stamp="$devices/node_modules/.jibsa-lock"
want=$(sha256sum "$devices/package-lock.json" | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "installing the virtual Matter devices' packages (npm ci) ..." >&2
    (cd "$devices" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$want" > "$stamp"
fi
venv="$root/.venv-matter"
package="python-matter-server[server]==7.0.1"
if [ ! -f "$venv/.jibsa-controller" ] || [ "$(cat "$venv/.jibsa-controller")" != "$package" ]; then
    echo "setting up the Matter controller in $venv ..." >&2
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$package" >&2
    echo "$package" > "$venv/.jibsa-controller"
fi
echo "$venv/bin/python"
