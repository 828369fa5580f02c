from django.core.files.uploadedfile import SimpleUploadedFile

from tests.scope import Case, grows

IMPORTERS = frozenset({"admin_p", "national_admin"})


def _upload(world):
    from tests.census import files

    data = files.simple([files.Household("H-SCOPE", commune_code=world.A.code)], 2025)
    return {"file": SimpleUploadedFile("ra-soat.xlsx", data), "year": "2025", "admin_version": ""}


def _dry_run_job(world):
    from core.models import Job, JobFile

    job = Job.objects.create(
        owner=world.admin_p,
        kind=Job.Kind.CENSUS_IMPORT,
        title="Kiểm tra tệp",
        status=Job.Status.DONE,
        params={"mode": "dry_run", "year": 2025, "admin_version": "2025", "file_name": "ra-soat.xlsx"},
        result={"rows": 1, "created": 1, "updated": 0, "unchanged": 0, "errors": [], "error_count": 0},
    )
    JobFile.objects.create(
        job=job, role=JobFile.Role.INPUT, name="ra-soat.xlsx", content_type="x", data=b"not a workbook"
    )
    return {"pk": job.pk}


def _jobs(world, kwargs):
    from core.models import Job

    return Job.objects.filter(kind=Job.Kind.CENSUS_IMPORT).count()


CASES = [
    Case("census:index", get=IMPORTERS, post=IMPORTERS, post_data=_upload, effect=grows(_jobs)),
    Case("census:template", get=IMPORTERS, query="year=2025"),
    # An import job is seen by the administrator who started it, only.
    Case("census:detail", kwargs=_dry_run_job, get=frozenset({"admin_p"})),
    Case("census:confirm", kwargs=_dry_run_job, post=frozenset({"admin_p"}), effect=grows(_jobs)),
]
