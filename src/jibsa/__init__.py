"""jibsa (집사): an open, local-first home assistant for Korean households."""

__version__ = "0.1.0"
