from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = "Hộ gia đình và rà soát"

    def ready(self):
        from . import (
            audit,  # noqa: F401  (registers models with the audit log)
            jobs,  # noqa: F401  (registers the household export job handler)
        )
        from .census import jobs as census_jobs  # noqa: F401  (registers the census import job handler)
