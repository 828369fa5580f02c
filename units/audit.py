"""Every change to these records is kept in the audit log (who, when, before and after)."""

from auditlog.registry import auditlog

from .models import AdministrativeUnit, Membership, Organisation

auditlog.register(AdministrativeUnit, exclude_fields=["search_name"])
auditlog.register(Organisation)
auditlog.register(Membership)
