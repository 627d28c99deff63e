"""How a lower feature asks the features above it, without importing them.

Features depend downwards only (docs/architecture.md): sessions know nothing of enrolment, which
is built on them. Where a lower feature needs an answer only a higher one has (how many seats of
a session are taken, which panels its page shows), it declares a hook in its `hooks.py` and asks
it; the higher feature answers with a function connected to the hook (`@hook.connect`). Hooks are
blinker signals, as Flask's own are; asking one returns every answer, in the order connected.
"""

from blinker import Namespace

hooks = Namespace()


def answers(hook, sender=None, **kwargs) -> list:
    """Every connected function's answer to the hook, in the order they were connected."""
    return [answer for _function, answer in hook.send(sender, **kwargs)]
