"""Tables of child units fold the units that have no figures yet (77 empty communes of 78 hide the
one that matters): they are left out of view, with a link that shows them ("?all=1", no script
needed; static/js/app.js unfolds them in place)."""

from dataclasses import dataclass

from django.http import QueryDict

SHOW_ALL = "all"


@dataclass(frozen=True)
class Fold:
    """How many rows are empty, whether they are shown, and the link that switches."""

    empty: int
    shown: bool
    toggle_url: str


def fold(query: QueryDict, empty: int) -> Fold:
    """The fold of a table with `empty` rows without figures, read from the page's query string."""
    shown = query.get(SHOW_ALL) == "1"
    params = query.copy()
    params.pop(SHOW_ALL, None)
    if not shown:
        params[SHOW_ALL] = "1"
    encoded = params.urlencode()
    return Fold(empty=empty, shown=shown, toggle_url=f"?{encoded}" if encoded else "?")
