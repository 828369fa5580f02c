"""`manage.py db_worker`: django-tasks-db's worker (same options) with core's heartbeat thread
(core/worker.py). It replaces the library's command because "django_tasks_db" is listed after
"core" in INSTALLED_APPS: a worker started by any script or service beats, so recovery never takes
a live worker for a dead one."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from core.worker import Worker


class Command(db_worker.Command):
    help = "Run the database task worker, with heartbeats and recovery of jobs whose worker died"

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, batch, **options) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        worker = Worker(
            queue_names=queue_name.split(","),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            batch=batch,
            **{
                key: options[key]
                for key in ("interval", "backend_name", "startup_delay", "max_tasks", "worker_id")
            },
        )
        if worker.excluded_queue_names and not worker.process_all_queues:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
