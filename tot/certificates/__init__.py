"""Certificates: earned by completing a programme and attending its session; anyone verifies."""
