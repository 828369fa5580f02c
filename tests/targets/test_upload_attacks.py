"""The attacks of issue 15 on the target-table import (read inside the request, then by
openpyxl): each refused by the guard before openpyxl sees the file, in Vietnamese naming the
limit, nothing written, within a bound on the memory the refusal took (measured here)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from targets.importing import ImportFailed, import_targets
from targets.models import AnnualTarget
from tests import attacks

from .test_import import cam_lo  # noqa: F401 — the fixture

PEAK = 16 * attacks.MB


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (attacks.dimension_bomb, "cột thứ 16.384, vượt giới hạn 100 cột"),
        (lambda: attacks.huge_cell(200), "nén quá mức"),
        (lambda: attacks.zip_bomb(100), "nén quá mức"),
        (attacks.entity_bomb, "DOCTYPE hoặc ENTITY"),
        (lambda: attacks.too_many_entries(300), "quá nhiều thành phần bên trong"),
    ],
    ids=["A1:XFD2000", "200 MB cell", "zip bomb", "entities", "entries"],
)
def test_each_attack_is_refused_before_openpyxl_within_bounded_memory(cam_lo, build, message):  # noqa: F811
    data = build()
    outcome, peak = attacks.peak_memory(
        lambda: import_targets(
            name="chi-tieu.xlsx", data=data, year=2021, admin_version="pre2025", parent=cam_lo
        )
    )
    assert isinstance(outcome, ImportFailed) and message in str(outcome)
    assert peak < PEAK
    assert not AnnualTarget.objects.exists()


def test_the_import_page_shows_the_refusal_and_imports_nothing(world):
    client = world.client_for(world.province_officer)
    response = client.post(
        reverse("targets:import", args=[world.P.pk]),
        {"year": "2025", "file": SimpleUploadedFile("chi-tieu.xlsx", attacks.dimension_bomb())},
    )
    assert response.status_code == 200
    assert "vượt giới hạn 100 cột" in response.content.decode()
    assert response.context["payload"] is None and not AnnualTarget.objects.exists()
