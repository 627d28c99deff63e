"""The cascade rules (being built)."""
