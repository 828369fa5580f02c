"""Every change to these records is kept in the audit log (who, when, before and after)."""

from auditlog.registry import auditlog

from .models import Assessment, Household, Indicator, Member, PolicyGroup, PovertyCause, PovertyStandard

auditlog.register(
    Household, m2m_fields={"policy_groups", "causes"}, exclude_fields=["head_search", "updated_at"]
)
auditlog.register(Member, exclude_fields=["search_name"])
auditlog.register(Assessment, exclude_fields=["updated_at"])
auditlog.register(PovertyStandard)
auditlog.register(Indicator)
auditlog.register(PolicyGroup)
auditlog.register(PovertyCause)
