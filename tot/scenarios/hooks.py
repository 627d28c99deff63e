"""What the scenario library asks of the features above it (see tot/hooks.py)."""

from tot.hooks import hooks

# Whether a role (the sender) has been given to someone in a role-play, answered by roleplay:
# such a role is kept, so that what was played stays readable.
role_played = hooks.signal("scenarios.role-played")
