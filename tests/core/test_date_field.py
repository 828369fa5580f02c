"""Dates are typed day first, with whatever separator a phone's keypad offers, in every form."""

import inspect
from datetime import date
from importlib import import_module

import pytest
from django import forms

from core.fields import DATE_HELP, DATE_INVALID, DateField


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/03/1978", date(1978, 3, 15)),
        ("15.03.1978", date(1978, 3, 15)),
        ("15-03-1978", date(1978, 3, 15)),
        ("15 03 1978", date(1978, 3, 15)),
        ("15031978", date(1978, 3, 15)),
        ("5/3/1978", date(1978, 3, 5)),
        ("5.3.1978", date(1978, 3, 5)),
        (" 15031978 ", date(1978, 3, 15)),
        ("01012000", date(2000, 1, 1)),
        ("29022024", date(2024, 2, 29)),
        ("31/12/2025", date(2025, 12, 31)),
        ("1978-03-15", date(1978, 3, 15)),  # ISO, as files and browsers write it
    ],
)
def test_a_date_is_read_day_first_with_any_separator_or_none(typed, expected):
    assert DateField().clean(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "29022023",  # no 29 February in 2023
        "31/04/2024",
        "15/13/1978",
        "00/03/1978",
        "1503197",  # seven digits: which one is missing?
        "150319780",
        "150378",  # a two-digit year in a row of digits is not guessed
        "15/03",
        "hôm qua",
        "15/03/1978/1",
    ],
)
def test_what_is_not_a_day_month_and_year_is_refused_with_the_format(typed):
    with pytest.raises(forms.ValidationError) as error:
        DateField().clean(typed)
    assert error.value.messages == [str(DATE_INVALID)]


def test_the_help_text_says_the_format_unless_the_form_says_it():
    assert DateField().help_text == DATE_HELP
    assert "dd/mm/yyyy" in str(DATE_HELP)
    assert DateField(help_text="Ngày quyết định (dd/mm/yyyy).").help_text == "Ngày quyết định (dd/mm/yyyy)."


def test_the_box_opens_the_numeric_keypad_and_shows_day_first():
    html = DateField().widget.render("d", date(1978, 3, 15))
    assert 'inputmode="numeric"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'value="15/03/1978"' in html


FORM_MODULES = ["core.forms", "households.forms", "households.census.forms", "targets.forms", "units.forms"]


def _date_fields():
    for module_name in FORM_MODULES:
        module = import_module(module_name)
        for name, form_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(form_class, forms.BaseForm) and form_class.__module__ == module_name:
                for field_name, field in form_class.base_fields.items():
                    if isinstance(field, forms.DateField):
                        yield pytest.param(field, id=f"{name}.{field_name}")


DATE_FIELDS = list(_date_fields())


def test_the_project_has_date_fields_to_check():
    assert len(DATE_FIELDS) >= 6  # birth date, effective date, help date, confirmed on, audit from/to


@pytest.mark.parametrize("field", DATE_FIELDS)
def test_every_date_entered_in_the_product_accepts_digits_and_dots(field):
    assert isinstance(field, DateField)
    assert field.clean("15031978") == field.clean("15.03.1978") == date(1978, 3, 15)
    assert "dd/mm/yyyy" in str(field.help_text)
