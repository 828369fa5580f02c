"""`manage.py check_standards`: approved assessments whose recorded standard is not the one the
rule gives, listed for an administrator; nothing is changed."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from households.models import Assessment, PovertyStandard
from tests import factories as f

pytestmark = pytest.mark.django_db

A = Assessment.State


def _standard(code: str) -> PovertyStandard:
    return PovertyStandard.objects.get(code=code)


@pytest.fixture
def stored(world):
    """Approved assessments of Xã An Bình, three of them recorded under a standard the rule does not give."""

    def approved(code, kind, year, effective, standard, state=A.APPROVED):
        household = f.HouseholdFactory(commune=world.A, code=code)
        return f.AssessmentFactory(
            household=household,
            kind=kind,
            review_year=year,
            effective_date=effective,
            standard=_standard(standard),
            state=state,
        )

    return {
        "right": approved("90001-00-0001", "periodic", 2024, date(2024, 12, 15), "nd07-2021"),
        # End-2021 review recorded under QĐ 59, as the review year alone used to choose.
        "year_end_2021": approved("90001-00-0002", "periodic", 2021, date(2021, 12, 15), "qd59-2015"),
        "regular_2021": approved("90001-00-0003", "regular", 2021, date(2021, 6, 15), "nd07-2021"),
        "none": approved("90001-00-0004", "periodic", 2030, date(2030, 12, 15), "nd351-2025"),
        "draft": approved("90001-00-0005", "periodic", 2021, date(2021, 12, 15), "qd59-2015", state=A.DRAFT),
    }


def test_json_lists_the_approved_assessments_off_the_rule(stored, capsys):
    call_command("check_standards", "--json")
    result = json.loads(capsys.readouterr().out)
    assert (result["checked"], result["count"]) == (4, 3)
    assert result["assessments"] == [
        {
            "id": stored["year_end_2021"].pk,
            "household": "90001-00-0002",
            "commune": "Xã An Bình",
            "commune_code": "90001",
            "review_year": 2021,
            "kind": "periodic",
            "effective_date": "2021-12-15",
            "stored_standard": "qd59-2015",
            "rule_standard": "nd07-2021",
        },
        {
            "id": stored["regular_2021"].pk,
            "household": "90001-00-0003",
            "commune": "Xã An Bình",
            "commune_code": "90001",
            "review_year": 2021,
            "kind": "regular",
            "effective_date": "2021-06-15",
            "stored_standard": "nd07-2021",
            "rule_standard": "qd59-2015",
        },
        {
            "id": stored["none"].pk,
            "household": "90001-00-0004",
            "commune": "Xã An Bình",
            "commune_code": "90001",
            "review_year": 2030,
            "kind": "periodic",
            "effective_date": "2030-12-15",
            "stored_standard": "nd351-2025",
            "rule_standard": None,
        },
    ]
    # Nothing is changed: approved assessments keep their recorded standard.
    stored["year_end_2021"].refresh_from_db()
    assert stored["year_end_2021"].standard.code == "qd59-2015"


def test_text_is_in_vietnamese_with_vietnamese_counts(stored, capsys):
    right = stored["right"]
    Assessment.objects.bulk_create(
        [
            Assessment(
                **{
                    field.attname: getattr(right, field.attname)
                    for field in Assessment._meta.concrete_fields
                    if field.name != "id"
                }
            )
            for _ in range(1_000)
        ]
    )
    call_command("check_standards")
    out = capsys.readouterr().out
    assert "Đã kiểm tra 1.004 phiếu đã duyệt: 3 phiếu ghi chuẩn nghèo khác chuẩn theo quy tắc." in out
    lines = out.splitlines()
    assert (
        "90001-00-0002 | Xã An Bình | 2021 | Rà soát định kỳ (hằng năm) | 15/12/2021 | Quyết định 59/2015/QĐ-TTg "
        "| Nghị định 07/2021/NĐ-CP, Điều 3"
    ) in lines
    assert (
        "90001-00-0003 | Xã An Bình | 2021 | Rà soát thường xuyên (trong năm) | 15/06/2021 "
        "| Nghị định 07/2021/NĐ-CP, Điều 3 | Quyết định 59/2015/QĐ-TTg"
    ) in lines
    assert (
        "90001-00-0004 | Xã An Bình | 2030 | Rà soát định kỳ (hằng năm) | 15/12/2030 | Nghị định 351/2025/NĐ-CP | không có chuẩn nào"
        in lines
    )
    assert "90001-00-0001" not in out and "90001-00-0005" not in out


def test_all_right_says_so(world, capsys):
    household = f.HouseholdFactory(commune=world.A)
    f.AssessmentFactory(household=household, review_year=2021)  # the factory follows the rule
    call_command("check_standards")
    assert capsys.readouterr().out.strip() == (
        "Đã kiểm tra 1 phiếu đã duyệt: tất cả đều ghi đúng chuẩn nghèo theo quy tắc."
    )
