"""Navigation and home-page panels, contributed by each app's `menu.py`:

    def nav_items(request) -> list[NavItem]             # entries of the top navigation
    def home_panels(request) -> list[Panel]             # cards on the home page
    def unit_panels(request, unit) -> list[Panel]       # cards on a unit's page (figures, lists)

Each app decides from units/access.py what the current user may reach, so a person only sees
entries they can use."""

from dataclasses import dataclass, field
from importlib import import_module

UI_APPS = ("units", "households", "households.census", "targets", "reports", "core")


@dataclass
class NavItem:
    label: str
    url: str
    icon: str = ""
    order: int = 50
    children: list["NavItem"] = field(default_factory=list)


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50
    width: str = "col-12 col-lg-6"


def _collect(name: str, request, *args) -> list:
    items = []
    for app in UI_APPS:
        try:
            module = import_module(f"{app}.menu")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.menu":
                raise  # a menu that exists but is broken must fail loudly
            continue
        provider = getattr(module, name, None)
        if provider is not None:
            items.extend(provider(request, *args))
    return sorted(items, key=lambda item: item.order)


def nav_items(request) -> list[NavItem]:
    if not request.user.is_authenticated:
        return []
    return _collect("nav_items", request)


def home_panels(request) -> list[Panel]:
    return _collect("home_panels", request)


def unit_panels(request, unit) -> list[Panel]:
    """Cards other apps show on a unit's page (household figures, targets...); the unit is in the
    user's scope already."""
    return _collect("unit_panels", request, unit)
