import json
from pathlib import Path

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.formatting import fmt_int
from targets.importing import ImportFailed, import_targets
from units import access
from units.models import AdministrativeUnit, AdminVersion
from units.periods import tree_of_year


class Command(BaseCommand):
    help = (
        "Nhập bảng chỉ tiêu giảm nghèo (mẫu bảng trong kế hoạch: dòng đánh số cột A, B, 1 … 11). "
        "Kiểm tra từng dòng; dòng hợp lệ được nhập, dòng sai được báo cáo."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx, .csv hoặc .tsv")
        parser.add_argument("--year", type=int, required=True, help="Năm của chỉ tiêu, ví dụ 2021.")
        parser.add_argument(
            "--unit", help="Mã đơn vị cấp trên (huyện, tỉnh hoặc xã) có các đơn vị trong bảng."
        )
        parser.add_argument(
            "--admin-version",
            choices=[AdminVersion.PRE2025, AdminVersion.V2025],
            help="Phiên bản đơn vị hành chính; mặc định pre2025 cho năm đến 2025, 2025 cho năm sau đó.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì.")
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON ra stdout.")
        parser.add_argument(
            "--user", help="Tên đăng nhập người nhập (ghi nhật ký; phải có quyền giao chỉ tiêu ở đơn vị)."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        year = options["year"]
        version = options["admin_version"] or tree_of_year(year)
        parent = None
        if options["unit"]:
            try:
                parent = AdministrativeUnit.objects.by_code(options["unit"], version)
            except AdministrativeUnit.DoesNotExist as error:
                raise CommandError(
                    f"Không có đơn vị mã {options['unit']} trong phiên bản {version}. Đã chạy load_units chưa?"
                ) from error
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"Không có người dùng {options['user']}.")
            if parent is not None and not access.can(user, "targets.allocate_target", parent):
                raise CommandError(f"{user.username} không có quyền giao chỉ tiêu tại {parent.name}.")
        try:
            with set_actor(user):
                result = import_targets(
                    name=path.name,
                    data=path.read_bytes(),
                    year=year,
                    admin_version=version,
                    parent=parent,
                    user=user,
                    dry_run=options["dry_run"],
                    note=f"Nhập từ tệp {path.name}",
                )
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        verb = "Sẽ nhập" if result.dry_run else "Đã nhập"
        self.stdout.write(
            f"{result.parent or '?'} · năm {year}: {fmt_int(result.rows)} dòng, {verb.lower()} {fmt_int(result.imported)} dòng hợp lệ"
            + (
                ""
                if result.dry_run
                else f" (thêm mới {fmt_int(result.created)}, cập nhật {fmt_int(result.updated)} chỉ tiêu)"
            )
            + "."
        )
        for error in result.errors:
            where = f"Dòng {error.row}" if error.row else "Bảng"
            self.stdout.write(self.style.WARNING(f"{where} · {error.unit or '—'}: {error.message}"))
