import json
import time

from django.core.management.base import BaseCommand

from core.formatting import fmt_int
from units.loading import load_units


class Command(BaseCommand):
    help = (
        "Nạp đơn vị hành chính thật (trước và sau 01/07/2025) và bảng chuyển đổi; chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON ra stdout.")

    def handle(self, *args, **options):
        started = time.monotonic()
        result = load_units()
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        pre, new = result.counts["pre2025"], result.counts["2025"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Trước 2025: {pre['province']} tỉnh, {pre['district']} huyện, {fmt_int(pre['commune'])} xã. "
                f"Từ 2025: {new['province']} tỉnh, {fmt_int(new['commune'])} xã. "
                f"Liên kết sắp xếp: {fmt_int(result.lineage_links)} "
                f"(bỏ qua {result.skipped_links} dòng của bảng chuyển đổi trỏ tới mã không còn trong danh mục). "
                f"Tạo mới {fmt_int(result.created)}, cập nhật {fmt_int(result.updated)} "
                f"({time.monotonic() - started:.1f} giây)."
            )
        )
