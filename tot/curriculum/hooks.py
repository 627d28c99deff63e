"""What curriculum authoring asks of the features above it (see tot/hooks.py)."""

from tot.hooks import hooks

# Whether anyone has progress in these activities (`activity_ids`) or this module (`module_id`),
# answered by learning: authors may not delete what participants have worked on.
progress_recorded = hooks.signal("curriculum.progress-recorded")
