"""`manage.py recover_jobs`: fail or re-queue the jobs whose worker stopped beating (for cron, in
case no worker is running to do it; every worker also does it itself)."""

from django.core.management.base import BaseCommand

from core.recovery import jobs_recover


class Command(BaseCommand):
    help = "Fail or re-queue background jobs whose worker stopped beating"

    def handle(self, **options) -> None:
        report = jobs_recover()
        self.stdout.write(
            f"requeued={len(report.requeued)} failed={len(report.failed)} tasks_closed={report.tasks_closed}"
        )
