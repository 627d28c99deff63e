"""The certificates rules (being built)."""
