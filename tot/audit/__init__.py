"""The audit log: who did what, and when, to whom (before → after); append-only."""
