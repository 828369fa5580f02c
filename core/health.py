"""What the health endpoint reports: the database, the oldest queued and oldest running job, and
workers and jobs that stopped beating. Ages in seconds; no titles, owners or ids leave here."""

from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import Job, WorkerBeat
from .recovery import stale_cutoff, stale_jobs


def _age(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def health(*, now: datetime | None = None) -> dict:
    """The report as a dict; "status" is "ok", "degraded" (stale jobs or workers, no live worker
    while jobs wait) or "down" (the database does not answer)."""
    now = now or timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"status": "down", "database": {"ok": False}}
    queued = Job.objects.filter(status=Job.Status.PENDING).order_by("created_at").first()
    running = Job.objects.filter(status=Job.Status.RUNNING).order_by("started_at").first()
    cutoff = stale_cutoff(now)
    workers = WorkerBeat.objects.all()
    stale_workers = [w for w in workers if w.beat_at < cutoff]
    live = len(workers) - len(stale_workers)
    stale = stale_jobs(now).count()
    problems = []
    if stale:
        problems.append("stale_jobs")
    if stale_workers:
        problems.append("stale_workers")
    if queued and not live:
        problems.append("no_live_worker")
    return {
        "status": "degraded" if problems else "ok",
        "problems": problems,
        "database": {"ok": True, "vendor": connection.vendor},
        "jobs": {
            "queued": Job.objects.filter(status=Job.Status.PENDING).count(),
            "running": Job.objects.filter(status=Job.Status.RUNNING).count(),
            "stale": stale,
            "oldest_queued": queued
            and {
                "kind": queued.kind,
                "queue": queued.queue_name,
                "age_seconds": _age(queued.created_at, now),
            },
            "oldest_running": running
            and {
                "kind": running.kind,
                "queue": running.queue_name,
                "age_seconds": _age(running.started_at, now),
                "heartbeat_age_seconds": _age(running.heartbeat_at, now),
            },
        },
        "workers": {
            "live": live,
            "stale": len(stale_workers),
            "stale_after_seconds": settings.JOB_STALE_AFTER_SECONDS,
        },
    }
