"""Every change to these records is kept in the audit log (who, when, before and after); `read_as`
tells the change history which amounts are money."""

from auditlog.registry import auditlog

from core.audit_display import read_as

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

read_as(Assessment, money=["annual_income", "income_per_capita"])
read_as(Household, choices={"latest_state": Assessment.State.choices})
read_as(
    PovertyStandard,
    money=[
        f"{line}_{area}"
        for line in ("poverty_line", "near_poverty_line", "medium_upper")
        for area in ("rural", "urban")
    ],
)
