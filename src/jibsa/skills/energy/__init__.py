"""Energy questions: this month's bill, the 누진 tiers, a projection, last month, the biggest users, a
device's running time today — the get_energy skill and its Korean and English sentences."""

from jibsa.skills.energy.skill import energy_manifest, energy_skill

__all__ = ["energy_manifest", "energy_skill"]
