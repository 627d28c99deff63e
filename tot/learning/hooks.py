"""What learning asks of the features above it (see tot/hooks.py)."""

from tot.hooks import hooks

# Whether something besides starting it opens a programme (`programme`) to a participant (the
# sender), answered by enrolment: a confirmed seat in a session of it.
programme_opened = hooks.signal("learning.programme-opened")

# Whether a facilitator (the sender) guides a participant (`participant_id`) in a programme
# (`programme_id`), as a SQL condition; both may be values or SQL expressions (the columns of a
# query of reflections). Answered by enrolment: they lead or co-lead a session of the programme
# in which the participant holds a confirmed seat. They may then read the participant's
# reflections in that programme (`services.reflections_readable_by`), and in no other.
guides_participant = hooks.signal("learning.guides-participant")

# The panels a participant's programme page shows before its modules (the sender is the reader,
# `programme` the programme), each with the `template` that shows it; answered by assessment
# (rate yourself before and after).
programme_panels = hooks.signal("learning.programme-panels")
