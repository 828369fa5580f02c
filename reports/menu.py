"""Navigation entries and home-page panels of this app (see core/navigation.py)."""


def nav_items(request) -> list:
    return []


def home_panels(request) -> list:
    return []
