"""What the regions feature asks of the features above it (see tot/hooks.py)."""

from tot.hooks import hooks

# {region id: how many people live there}, answered by accounts: the regions page shows it.
people_per_region = hooks.signal("regions.people-per-region")
