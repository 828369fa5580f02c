"""Who issues a report and who signs it: the agency block and the signature block of the document.

Local reports (quarterly, target table) are issued by the unit's People's Committee, or at province
level by the department in charge of poverty reduction (settings.POVERTY_DEPARTMENT_NAME unless the
Organisation row names it). Organisation reports (Mẫu 01–03, the Union's target table) are issued
by the organisation. Each Organisation row carries its parent agency, signer title and name and the
place name printed on the date line; what is missing falls back to the conventional wording."""

from dataclasses import dataclass

from django.conf import settings

from core.tables import Signature
from units.models import AdministrativeUnit, Level, Membership, Organisation

DEFAULT_SIGNER = {
    Organisation.Kind.PEOPLES_COMMITTEE: "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
    Organisation.Kind.POVERTY_DEPARTMENT: "GIÁM ĐỐC",
}
MASS_SIGNER = "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH"


@dataclass
class Frame:
    parent_agency: str
    agency: str
    place: str
    signature: Signature
    organisation: Organisation | None = None


def _organisations(unit: AdministrativeUnit) -> dict[str, Organisation]:
    return {org.kind: org for org in Organisation.objects.filter(unit=unit, active=True)}


def _upper_agency(unit: AdministrativeUnit) -> str:
    return f"UBND {unit.name}".upper()


def _frame_for(organisation: Organisation, unit: AdministrativeUnit, default_parent: str = "") -> Frame:
    signer = organisation.signer_title or DEFAULT_SIGNER.get(organisation.kind, MASS_SIGNER)
    return Frame(
        parent_agency=organisation.parent_agency or default_parent,
        agency=organisation.name,
        place=organisation.place_name or unit.short_name,
        signature=Signature(title=signer, name=organisation.signer_name),
        organisation=organisation,
    )


def local_frame(unit: AdministrativeUnit, organisations: dict[str, Organisation] | None = None) -> Frame:
    """The issuer of a locality's report: the poverty department at a province, else the People's
    Committee. `organisations` (kind → row) may be passed when framing many units at once."""
    if organisations is None:
        organisations = _organisations(unit)
    if unit.level == Level.PROVINCE:
        department = organisations.get(Organisation.Kind.POVERTY_DEPARTMENT)
        if department is not None:
            return _frame_for(department, unit, default_parent=_upper_agency(unit))
        if Organisation.Kind.PEOPLES_COMMITTEE not in organisations:
            return Frame(
                parent_agency=_upper_agency(unit),
                agency=settings.POVERTY_DEPARTMENT_NAME,
                place=unit.short_name,
                signature=Signature(title=DEFAULT_SIGNER[Organisation.Kind.POVERTY_DEPARTMENT]),
            )
    committee = organisations.get(Organisation.Kind.PEOPLES_COMMITTEE)
    if committee is not None:
        return _frame_for(committee, unit)
    return Frame(
        parent_agency="",
        agency=f"Ủy ban nhân dân {unit.name[0].lower()}{unit.name[1:]}",
        place=unit.short_name,
        signature=Signature(title=DEFAULT_SIGNER[Organisation.Kind.PEOPLES_COMMITTEE]),
    )


def organisations_by_unit(units) -> dict[int, dict[str, Organisation]]:
    """The active organisations of many units, in one query."""
    result: dict[int, dict[str, Organisation]] = {}
    for org in Organisation.objects.filter(unit__in=units, active=True):
        result.setdefault(org.unit_id, {})[org.kind] = org
    return result


def organisation_frame(organisation: Organisation) -> Frame:
    return _frame_for(organisation, organisation.unit)


def organisation_preparer(organisation: Organisation, scope) -> str:
    """The name under "Người lập biểu" on an organisation's form: the person producing it when they
    work for the organisation, else the organisation's own preparer (a province officer downloading
    the Union's form did not prepare it); blank leaves the space for a hand-written name."""
    if scope.person_name and Membership.objects.filter(user=scope.user, organisation=organisation).exists():
        return scope.person_name
    return organisation.preparer_name
