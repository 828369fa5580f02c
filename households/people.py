"""What a person's recorded data must satisfy, wherever it comes from: the household form, the
services behind it, the census import. Pure: no ORM, no clock (the latest possible birth day is
passed in: today for an entry, the end of the review year for an import).

    birth year      from 1900 to the year of the latest birth day
    birth date      from 01/01/1900 to the latest birth day
    citizen ID      as households.citizen_id checks it against the person's sex and birth year"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from core.formatting import fmt_date

from .citizen_id import check_citizen_id

EARLIEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class PersonCheck:
    """The cleaned citizen ID, blocking errors by field ("birth_year", "birth_date",
    "citizen_id") and advisory warnings, in the active language."""

    citizen_id: str
    errors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def birth_year_error(year: int, *, latest: int) -> str:
    """Why `year` cannot be a birth year when nobody can be born after `latest`, or ""."""
    if EARLIEST_BIRTH_YEAR <= year <= latest:
        return ""
    return _("Năm sinh %(value)s không hợp lệ: phải là năm có 4 chữ số, từ 1900 đến %(year)s.") % {
        "value": year,
        "year": latest,
    }


def birth_date_error(born: date, *, latest: date) -> str:
    """Why `born` cannot be a birth date when nobody can be born after `latest`, or ""."""
    if born.year >= EARLIEST_BIRTH_YEAR and born <= latest:
        return ""
    return _("Ngày sinh %(value)s không hợp lệ: phải từ 01/01/1900 đến %(latest)s.") % {
        "value": fmt_date(born),
        "latest": fmt_date(latest),
    }


def check_person(
    *,
    sex: str | None,
    birth_year: int | None,
    latest: date,
    birth_date: date | None = None,
    citizen_id: str | None = "",
) -> PersonCheck:
    """Check one person. A birth date, when given, is what is checked (its year is the birth
    year); the citizen ID is compared with the birth year only when that year is possible."""
    errors: dict[str, tuple[str, ...]] = {}
    if birth_date is not None:
        problem = birth_date_error(birth_date, latest=latest)
        if problem:
            errors["birth_date"] = (problem,)
        birth_year = birth_date.year
    elif birth_year is not None:
        problem = birth_year_error(birth_year, latest=latest.year)
        if problem:
            errors["birth_year"] = (problem,)
    known_year = None if errors else birth_year
    check = check_citizen_id(citizen_id, sex=sex or "", birth_year=known_year)
    if check.errors:
        errors["citizen_id"] = check.errors
    return PersonCheck(check.number, errors, check.warnings)
