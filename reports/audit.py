from auditlog.registry import auditlog

from .models import PeriodLock, ResidentPopulation

# The snapshot is large and never edited: the entry records who locked which period, not the figures.
auditlog.register(PeriodLock, exclude_fields=["snapshot"])
auditlog.register(ResidentPopulation)
