"""The built-in simulator: every device type, behaving like the real ones over (injectable) time."""

from jibsa.adapters.sim.adapter import UNRESPONSIVE_OPTION, SimAdapter, create_adapter
from jibsa.adapters.sim.base import Simulator
from jibsa.adapters.sim.registry import SIMULATORS, simulator_for

__all__ = ["SIMULATORS", "UNRESPONSIVE_OPTION", "SimAdapter", "Simulator", "create_adapter", "simulator_for"]
