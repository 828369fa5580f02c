"""The error summary shown at the top of a page after a failed save: "Có N lỗi cần sửa" and each
error as a link to its field (templates/core/_error_summary.html, focused by static/js/app.js).

base.html renders `{% error_summary %}`, which finds the bound forms and formsets of the page's
context by itself, so every form in the product gets it; a page may name its forms instead:
`{% error_summary form formset %}`."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    message: str
    label: str = ""
    target: str = ""  # the id of the control to jump to; "" for an error of the whole form


def _target(bound_field) -> str:
    """The id of the control a link jumps to: the field's own, or its first choice for a group of
    radio buttons or checkboxes (whose label points at none)."""
    if not bound_field.auto_id or bound_field.is_hidden:
        return ""
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"


def _form_errors(form: BaseForm, prefix: str = "") -> list[SummaryError]:
    items = [SummaryError(str(message), prefix) for message in form.non_field_errors()]
    for name in [name for name in form.fields if name in form.errors]:
        bound = form[name]
        shown = "" if bound.is_hidden else str(bound.label or name)  # a hidden field's name means nothing
        label = " · ".join(part for part in (prefix, shown) if part)
        items += [SummaryError(str(message), label, _target(bound)) for message in bound.errors]
    return items


def summary_errors(*forms) -> list[SummaryError]:
    """Every error of the given bound forms and formsets, in the order of the page."""
    items: list[SummaryError] = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            if not form.is_bound:
                continue
            items += [SummaryError(str(message)) for message in form.non_form_errors()]
            item = getattr(form, "error_summary_item", None) or _("Dòng %(number)s")
            for number, member in enumerate(form.forms, start=1):
                items += _form_errors(member, item % {"number": number})
        elif isinstance(form, BaseForm) and form.is_bound:
            items += _form_errors(form)
    return items


def _forms_in(context) -> list:
    seen, found = set(), []
    for value in context.flatten().values():
        if isinstance(value, BaseForm | BaseFormSet) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)
    return found


@register.inclusion_tag("core/_error_summary.html", takes_context=True)
def error_summary(context, *forms):
    """The summary of the named forms, or of every bound form of the page when none is named."""
    return {"errors": summary_errors(*(forms or _forms_in(context)))}
