"""What the API tests share beside their fixtures (running `jibsa serve` as a process: jibsa.testing.processes)."""

from __future__ import annotations

from jibsa.domain import Role

# The password each role's test account logs in with.
PASSWORDS = {role: f"{role.value}-password-1" for role in Role}
