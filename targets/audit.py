"""Every change to these records is kept in the audit log (who, when, before and after); `read_as`
tells the change history which amounts are money."""

from auditlog.registry import auditlog

from core.audit_display import read_as

from .models import AnnualTarget, HelpEntry, Registration, SupportMeasure

auditlog.register(AnnualTarget, exclude_fields=["updated_at"])
auditlog.register(Registration, m2m_fields={"causes", "measures"}, exclude_fields=["updated_at"])
auditlog.register(HelpEntry)
auditlog.register(SupportMeasure)

read_as(HelpEntry, money=["value"])
