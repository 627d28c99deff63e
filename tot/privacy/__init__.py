"""Personal data rights: a person downloads what the platform holds about them; erasure."""
