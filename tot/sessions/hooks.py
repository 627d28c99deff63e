"""What the sessions feature asks of the features above it (see tot/hooks.py).

Enrolment is built on sessions: seats taken, who is enrolled and the waiting list are its
knowledge. A session's page also shows panels of enrolment, role-play and feedback.
"""

from tot.hooks import hooks

# The panels a session's page shows below its details: the sender is the session, `reader` the
# person reading. Each answer is None or a panel with the `template` that shows it and an `order`.
session_panels = hooks.signal("sessions.panels")

# {session id: confirmed seats} of the sessions in `sessions`; answered by enrolment.
confirmed_seats = hooks.signal("sessions.confirmed-seats")

# {region id: confirmed seats} of one session (the sender); answered by enrolment.
confirmed_by_region = hooks.signal("sessions.confirmed-by-region")

# The people with an active enrolment in a session (the sender), who hear when it changes.
people_enrolled = hooks.signal("sessions.people-enrolled")

# A query of the ids of the sessions a person (the sender) holds an active enrolment in, for
# their calendar feed.
enrolled_session_ids = hooks.signal("sessions.enrolled-session-ids")

# Seats of a session (the sender) may have come free (more capacity, a quota changed): the
# answer gives them to its waiting list.
seats_freed = hooks.signal("sessions.seats-freed")

# A session (the sender) has just been marked completed (`now`: when): the answer issues the
# certificates its people earned (certificates).
session_completed = hooks.signal("sessions.completed")
