"""python manage.py import_census FILE --year YYYY [--admin-version pre2025|2025] [--dry-run]
[--skip-errors] [--json] [--results OUT.xlsx] [--user USERNAME]"""

import json
from pathlib import Path

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from core.formatting import fmt_int
from households.census.results import results_workbook
from households.census.services import census_import
from units.models import AdminVersion, Role

CLASS_NAMES = {
    "poor": "Hộ nghèo",
    "near_poor": "Hộ cận nghèo",
    "medium": "Hộ có mức sống trung bình",
    "not_poor": "Hộ không nghèo",
    "poor_income": "  nghèo về thu nhập (N1)",
    "poor_deprivation": "  nghèo do thiếu hụt (N2)",
}


class Command(BaseCommand):
    help = (
        "Nhập tệp Excel kết quả rà soát cuối năm. Mặc định: ghi tất cả hoặc không ghi gì nếu có dòng lỗi. "
        "--dry-run chỉ xem trước; --skip-errors bỏ qua các dòng lỗi."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx")
        parser.add_argument("--year", type=int, required=True, help="Năm rà soát, ví dụ 2024.")
        parser.add_argument(
            "--admin-version",
            choices=[AdminVersion.PRE2025, AdminVersion.V2025],
            help="Danh mục đơn vị hành chính. Mặc định: pre2025 cho năm đến 2024, 2025 từ năm 2025.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra và liệt kê thay đổi, không ghi."
        )
        parser.add_argument(
            "--skip-errors", action="store_true", help="Ghi các dòng hợp lệ, bỏ qua các dòng lỗi."
        )
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON ra stdout.")
        parser.add_argument("--results", help="Ghi tệp kết quả (.xlsx) với hai cột thêm: phân loại và lỗi.")
        parser.add_argument(
            "--user",
            help="Tên đăng nhập của quản trị viên được ghi nhận là người nhập (phạm vi của người đó được áp dụng). "
            "Bỏ trống: tài khoản quản trị toàn quốc duy nhất, nếu có đúng một.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        data = path.read_bytes()
        user = self._user(options["user"], required=not options["dry_run"])
        with set_actor(user):
            report = census_import(
                data=data,
                year=options["year"],
                admin_version=options["admin_version"],
                user=user,
                dry_run=options["dry_run"],
                skip_errors=options["skip_errors"],
            )
        if options["results"]:
            Path(options["results"]).write_bytes(results_workbook(data, report))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            self._summary(report)
        if not options["dry_run"] and not report.written:
            raise CommandError(
                "Không ghi gì vì tệp có lỗi. Sửa các dòng lỗi, hoặc chạy lại với --skip-errors."
            )

    def _user(self, username: str | None, *, required: bool):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username, is_active=True)
            except User.DoesNotExist as error:
                raise CommandError(f"Không có tài khoản đang hoạt động tên {username}.") from error
        national = (
            User.objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True) | Q(memberships__role=Role.ADMINISTRATOR, memberships__unit__isnull=True)
            )
            .distinct()
        )
        if national.count() == 1:
            return national.get()
        if required:
            raise CommandError(
                "Hãy cho biết ai nhập dữ liệu: --user <tên đăng nhập của quản trị viên> "
                "(mỗi hộ, mỗi phiếu được ghi nhận là do người này nhập)."
            )
        return None

    def _summary(self, report) -> None:
        write = self.stdout.write
        verb = "Sẽ" if not report.written else "Đã"
        write(
            f"Năm rà soát {report.year} · đơn vị hành chính {report.admin_version} · {fmt_int(report.rows)} dòng dữ liệu"
        )
        write(
            f"{verb} tạo mới: {fmt_int(report.created)} · cập nhật: {fmt_int(report.updated)} · không đổi: {fmt_int(report.unchanged)}"
        )
        counts = report.as_json()["counts"]
        for key, value in counts.items():
            write(f"  {CLASS_NAMES.get(key, key)}: {fmt_int(value)}")
        if report.mismatches:
            write(f"{fmt_int(len(report.mismatches))} dòng có phân loại của xã khác phân loại của hệ thống.")
        if report.errors:
            write(
                self.style.WARNING(f"{fmt_int(len(report.errors))} lỗi ở {fmt_int(report.error_rows)} dòng:")
            )
            for error in report.errors[:50]:
                where = f"Dòng {error.row}" if error.row else "Tệp"
                column = f", cột {error.column}" if error.column else ""
                write(f"  {where}{column}: {error.message}")
            if len(report.errors) > 50:
                write(f"  … và {fmt_int(len(report.errors) - 50)} lỗi khác (xem tệp kết quả với --results).")
        if report.written:
            write(self.style.SUCCESS("Đã ghi vào cơ sở dữ liệu."))
        elif report.dry_run:
            write("Chạy thử: chưa ghi gì.")
