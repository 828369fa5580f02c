from tests.scope import ALL_PERSONAS, Case


def _job(world):
    from core.models import Job

    job = Job.objects.create(owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo thử")
    return {"pk": job.pk}


HAS_AUDIT = frozenset({"admin_p", "national_admin"})

CASES = [
    Case("home", get=ALL_PERSONAS),
    Case("healthz", public=True),
    Case(
        "set_language",
        public=True,
        post=ALL_PERSONAS,
        post_data=lambda w: {"language": "en", "next": "/"},
        skip_reason="language switching is allowed for everyone, anonymous included; tested in tests/core",
    ),
    Case("login", public=True),
    Case("logout", public=True, skip_reason="logging out is allowed for everyone; tested in tests/core"),
    Case("password_change", get=ALL_PERSONAS),
    Case("password_change_done", get=ALL_PERSONAS),
    Case("password_reset", public=True),
    Case("password_reset_done", public=True),
    Case("password_reset_confirm", public=True, kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}),
    Case("password_reset_complete", public=True),
    Case("audit_list", get=HAS_AUDIT),
    Case("jobs:list", get=ALL_PERSONAS),
    # A job is visible to its owner only.
    Case("jobs:detail", kwargs=_job, get=frozenset({"officer_a"})),
    Case(
        "jobs:download",
        kwargs=_job,
        get=frozenset(),
        get_status=frozenset({404}),
        skip_reason="a job's file is served to its owner only; tested in tests/core/test_jobs.py",
    ),
]
