"""Tariffs as data: one YAML file per tariff (jibsa.energy.tariff reads them)."""
