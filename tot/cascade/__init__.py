"""The cascade: trainings that graduates deliver back home, and the people they reach."""
