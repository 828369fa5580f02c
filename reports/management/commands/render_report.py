import json
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation

from core.formatting import fmt_int
from units.models import AdministrativeUnit, AdminVersion, Organisation

from ... import registry
from ...params import REPORT_CLASSES, ReportParamError, organisation_for
from ...registry import resolve
from ...render import render
from ...scope import ReportScope, SystemUser


class Command(BaseCommand):
    help = (
        "Lập một báo cáo ra tệp PDF hoặc Excel (dùng cho lịch tự động). Ví dụ: "
        "render_report quarterly --unit 44 --year 2026 --quarter 1 --format pdf --output q1.pdf"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", choices=sorted(registry.REGISTRY), help="Mã báo cáo.")
        parser.add_argument("--unit", required=True, help="Mã đơn vị hành chính (GSO), ví dụ 468 hoặc 19597.")
        parser.add_argument(
            "--admin-version",
            default=AdminVersion.V2025,
            choices=[v.value for v in AdminVersion],
            help="Phiên bản danh mục đơn vị: pre2025 (trước 01/07/2025) hoặc 2025 (mặc định).",
        )
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--quarter",
            type=int,
            choices=[1, 2, 3, 4],
            help="Quý: bắt buộc với báo cáo quý; với poor-changes, near-poor-changes thì không ghi là cả năm.",
        )
        parser.add_argument(
            "--class",
            dest="poverty_class",
            choices=list(REPORT_CLASSES),
            help="Diện hộ của deprivation-counts, deprivation-rates: poor (mặc định) hoặc near_poor.",
        )
        parser.add_argument(
            "--organisation",
            help="Hội, đoàn thể: mã loại (hlhpn, hnd, doan_tn, hccb, mttq) tại đơn vị hoặc cấp trên gần nhất, "
            "hoặc số id. Mặc định: Hội LHPN.",
        )
        parser.add_argument(
            "--date", type=date.fromisoformat, help="Ngày ghi trên văn bản (YYYY-MM-DD); mặc định hôm nay."
        )
        parser.add_argument(
            "--format",
            choices=["pdf", "xlsx"],
            help="Ghi ra tệp PDF hoặc Excel; không ghi thì chỉ in dòng tổng cộng của từng biểu.",
        )
        parser.add_argument(
            "--output", help="Tệp ra (với --format); mặc định tên chuẩn của báo cáo trong thư mục hiện tại."
        )
        parser.add_argument("--user", help="Lập với phạm vi của tài khoản này (mặc định: toàn bộ dữ liệu).")
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON ra stdout.")

    def handle(self, *args, **options):
        scope = ReportScope(self._user(options["user"]))
        try:
            unit = AdministrativeUnit.objects.by_code(options["unit"], options["admin_version"])
        except AdministrativeUnit.DoesNotExist as error:
            raise CommandError(
                f"Không có đơn vị mã {options['unit']} trong danh mục {options['admin_version']}. "
                "Hãy kiểm tra mã và --admin-version (đã chạy load_units chưa?)."
            ) from error
        organisation = self._organisation(unit, options["organisation"])
        try:
            params = resolve(
                scope,
                code=options["code"],
                unit=unit,
                year=options["year"],
                quarter=options["quarter"],
                organisation=organisation,
                issued_on=options["date"],
                poverty_class=options["poverty_class"],
            )
            with translation.override("vi"):
                document = registry.get(params.code).produce(scope, params)
                data = render(document, options["format"]) if options["format"] else None
        except Http404 as error:
            raise CommandError(f"Tài khoản {scope.user} không xem được {unit.name}.") from error
        except ReportParamError as error:
            raise CommandError(str(error)) from error
        output = None
        if data is not None:
            output = Path(options["output"] or params.file_name(options["format"]))
            output.write_bytes(data)
        summary = {
            "code": params.code,
            "unit": {"code": unit.code, "name": unit.name, "admin_version": unit.admin_version},
            "year": params.year,
            "quarter": params.quarter,
            "poverty_class": params.poverty_class,
            "organisation": params.organisation.name if params.organisation else None,
            "format": options["format"],
            "output": str(output) if output else None,
            "bytes": len(data) if data is not None else None,
            "rows": document.row_count,
            "flagged_rows": len(document.issues),
            "totals": document.totals(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        flagged = f", {fmt_int(summary['flagged_rows'])} dòng cần kiểm tra" if summary["flagged_rows"] else ""
        if output is None:
            self.stdout.write(f"{document.title} — {' · '.join(document.subtitle)}")
            for total in summary["totals"]:
                self.stdout.write(" · ".join(filter(None, (total["title"], total["label"]))) + ":")
                for cell in total["cells"]:
                    self.stdout.write(f"  {cell['number']:>8}  {cell['label']}: {cell['text']}")
            self.stdout.write(
                f"({fmt_int(document.row_count)} dòng{flagged}; --format pdf|xlsx để ghi ra tệp.)"
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã ghi {output} ({fmt_int(len(data))} byte, {fmt_int(document.row_count)} dòng{flagged})."
                )
            )

    def _user(self, username):
        if not username:
            return SystemUser()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {username}.")
        return user

    def _organisation(self, unit, value):
        if not value:
            return None
        if value.isdigit():
            organisation = Organisation.objects.filter(pk=int(value)).first()
        else:
            if value not in Organisation.Kind.values:
                raise CommandError(
                    f"Loại tổ chức {value} không có; dùng một trong: {', '.join(Organisation.MASS_ORGANISATIONS)}."
                )
            organisation = organisation_for(unit, value)
        if organisation is None:
            raise CommandError(f"Không tìm thấy tổ chức {value} tại {unit.name} hoặc cấp trên.")
        return organisation
