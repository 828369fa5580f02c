"""Template tags for pages of other apps that show targets data (the household page)."""

from django import template
from django.utils import timezone

from units import access

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def household_registrations(context, household) -> dict:
    """The household's registrations the user may see, and whether the user may register it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or household is None:
        return {"registrations": [], "can_register": False}
    today = timezone.localdate()
    registrations = list(
        access.registrations_visible_to(user)
        .filter(household=household)
        .select_related("organisation")
        .order_by("-year", "organisation__name")
    )
    for registration in registrations:
        registration.stale = selectors.is_stale(registration, today)
    can_register = bool(access.organisations_for_household(user, "targets.add_registration", household))
    return {"registrations": registrations, "can_register": can_register}
