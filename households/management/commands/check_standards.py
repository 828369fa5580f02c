"""python manage.py check_standards [--json]

Lists the approved assessments whose recorded standard is not the one the rule gives
(`PovertyStandard.objects.for_review`: a periodic review of year Y under the standard in force on
1 January Y+1, a regular review under the standard in force on its effective date), for an
administrator to review. Nothing is changed: an approved assessment keeps the standard it was
classified under. Always exits with 0."""

import json
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.management.base import BaseCommand
from django.db.models import Q

from core.formatting import fmt_date, fmt_int
from households.models import Assessment, PovertyStandard, review_standard_date

COMBO = ("province_id", "kind", "review_year", "effective_date", "standard_id")
CHUNK = 100  # combinations per OR filter (SQLite limits an expression's depth)
NO_STANDARD = "không có chuẩn nào"


@dataclass(frozen=True)
class OffRule:
    assessment: Assessment
    expected: PovertyStandard | None


def assessments_off_rule() -> tuple[int, list[OffRule]]:
    """How many approved assessments there are, and those whose standard differs from the rule,
    by commune, household code and effective date. Assessments are grouped by what decides the
    standard, so the rule is asked once per group, not once per assessment."""
    approved = Assessment.objects.filter(state=Assessment.State.APPROVED)
    expected: dict[tuple, PovertyStandard | None] = {}
    off: list[tuple[dict, PovertyStandard | None]] = []
    for combo in approved.values(*COMBO).distinct().order_by():
        day = review_standard_date(combo["kind"], combo["review_year"], combo["effective_date"])
        key = (combo["province_id"], day.year)  # a standard covers whole calendar years
        if key not in expected:
            try:
                expected[key] = PovertyStandard.objects.in_force_on(day, combo["province_id"])
            except PovertyStandard.DoesNotExist:
                expected[key] = None
        rule = expected[key]
        if rule is None or rule.pk != combo["standard_id"]:
            off.append((combo, rule))
    rows: list[OffRule] = []
    for start in range(0, len(off), CHUNK):
        chunk = off[start : start + CHUNK]
        by_combo = {tuple(combo[name] for name in COMBO): rule for combo, rule in chunk}
        matching = approved.filter(reduce(or_, (Q(**combo) for combo, _rule in chunk))).select_related(
            "household", "commune", "standard"
        )
        for assessment in matching:
            rows.append(OffRule(assessment, by_combo[tuple(getattr(assessment, name) for name in COMBO)]))
    rows.sort(
        key=lambda row: (
            row.assessment.commune.code,
            row.assessment.household.code,
            row.assessment.effective_date,
            row.assessment.pk,
        )
    )
    return approved.count(), rows


class Command(BaseCommand):
    help = (
        "Liệt kê các phiếu rà soát đã duyệt có chuẩn nghèo khác chuẩn theo quy tắc (rà soát định kỳ năm Y: "
        "chuẩn có hiệu lực ngày 01/01 năm Y+1; rà soát thường xuyên: chuẩn có hiệu lực vào ngày hiệu lực). "
        "Không sửa gì: phiếu đã duyệt giữ chuẩn đã ghi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON ra stdout.")

    def handle(self, *args, **options):
        checked, rows = assessments_off_rule()
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(checked, rows), ensure_ascii=False))
            return
        write = self.stdout.write
        if not rows:
            write(
                f"Đã kiểm tra {fmt_int(checked, 'vi')} phiếu đã duyệt: tất cả đều ghi đúng chuẩn nghèo theo quy tắc."
            )
            return
        write(
            self.style.WARNING(
                f"Đã kiểm tra {fmt_int(checked, 'vi')} phiếu đã duyệt: {fmt_int(len(rows), 'vi')} phiếu "
                "ghi chuẩn nghèo khác chuẩn theo quy tắc."
            )
        )
        write(
            "Quy tắc: rà soát định kỳ năm Y lập danh sách năm Y+1 nên dùng chuẩn có hiệu lực ngày 01/01 năm Y+1; "
            "rà soát thường xuyên dùng chuẩn có hiệu lực vào ngày hiệu lực của phiếu."
        )
        write(
            "Mã hộ | Xã/phường | Năm rà soát | Loại rà soát | Ngày hiệu lực | Chuẩn đã ghi | Chuẩn theo quy tắc"
        )
        for row in rows:
            a = row.assessment
            write(
                " | ".join(
                    [
                        a.household.code,
                        a.commune.name,
                        str(a.review_year),
                        a.get_kind_display(),
                        fmt_date(a.effective_date),
                        a.standard.legal_basis,
                        row.expected.legal_basis if row.expected else NO_STANDARD,
                    ]
                )
            )
        write(
            "Các phiếu này giữ nguyên chuẩn đã ghi. Hãy xem lại từng hộ; nếu cần, lập phiếu rà soát mới "
            "theo chuẩn đúng."
        )


def _as_json(checked: int, rows: list[OffRule]) -> dict:
    return {
        "checked": checked,
        "count": len(rows),
        "assessments": [
            {
                "id": row.assessment.pk,
                "household": row.assessment.household.code,
                "commune": row.assessment.commune.name,
                "commune_code": row.assessment.commune.code,
                "review_year": row.assessment.review_year,
                "kind": row.assessment.kind,
                "effective_date": row.assessment.effective_date.isoformat(),
                "stored_standard": row.assessment.standard.code,
                "rule_standard": row.expected.code if row.expected else None,
            }
            for row in rows
        ],
    }
