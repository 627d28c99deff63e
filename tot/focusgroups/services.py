"""Rules of focus groups, quotes and consent."""


def featured_quotes(limit: int = 3) -> list:
    """Published, featured quotes for the home page."""
    return []
