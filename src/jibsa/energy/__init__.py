"""Energy: the tariff as data and a month's bill under it, billing periods from the household's
검침일, and (elsewhere in the package) what each device uses. Pure: no I/O beyond reading the tariff
file, nothing of the hub, adapters or storage."""

from jibsa.energy.billing import Bill, compute_bill, tier_edges
from jibsa.energy.cycle import BillingPeriod, cycle_containing, cycle_starting, previous_cycle
from jibsa.energy.errors import EnergyError, TariffError
from jibsa.energy.tariff import Season, Tariff, Voltage, load_tariff

__all__ = [
    "Bill",
    "BillingPeriod",
    "EnergyError",
    "Season",
    "Tariff",
    "TariffError",
    "Voltage",
    "compute_bill",
    "cycle_containing",
    "cycle_starting",
    "load_tariff",
    "previous_cycle",
    "tier_edges",
]
