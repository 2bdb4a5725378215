"""Adapters: each drives the devices of one vendor or protocol for the hub (sim, mqtt, thinq, smartthings)."""
