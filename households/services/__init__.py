"""Writes to households, their members and their assessments (surveys). Views, commands and
imports call these; nothing else writes these models.

    households.py   households and members (create, update, members, the copied summary)
    assessments.py  the assessment workflow (draft, submit, withdraw, return, approve, delete)
    chain.py        values derived from the approved assessments (predecessor, change, validity,
                    the household's current status)

Every editable record is saved through core.concurrency.save_versioned: a save made from a stale
copy raises ConcurrentEditError listing what the other person changed. Audit entries are written
by django-auditlog (the actor comes from the request, or from auditlog.context.set_actor in
commands). This package is the one name callers import (`from households import services`)."""

from .assessments import *  # noqa: F403
from .assessments import __all__ as _assessments
from .chain import *  # noqa: F403
from .chain import __all__ as _chain
from .households import *  # noqa: F403
from .households import __all__ as _households

__all__ = [*_households, *_assessments, *_chain]
