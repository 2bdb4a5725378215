"""The one gate every entrance passes (HTTP, the sockets, Wyoming, the CLI, timers, rules, skills):
it knows who asks (`Principal`, `Via`), applies the PIN and confirmation, and writes the audit row."""

from jibsa.conversation import Turn
from jibsa.gate.errors import GateRefused
from jibsa.gate.gate import AuditLog, Gate
from jibsa.gate.pin import PinLock, spoken_pin
from jibsa.gate.principal import HeardVoice, Principal, Via, machine_owner

__all__ = [
    "AuditLog",
    "Gate",
    "GateRefused",
    "HeardVoice",
    "PinLock",
    "Principal",
    "Turn",
    "Via",
    "machine_owner",
    "spoken_pin",
]
