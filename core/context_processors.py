from . import navigation as nav


def navigation(request):
    """The navigation entries this user may reach, built lazily (only pages that render base.html pay)."""
    return {"nav_items": lambda: nav.nav_items(request)}
