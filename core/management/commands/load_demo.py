import json

from auditlog.context import disable_auditlog
from django.core.management.base import BaseCommand, CommandError

from core.formatting import fmt_int
from units.models import AdministrativeUnit

# The human summary in Vietnamese (the --json keys stay as the apps name them).
APPS = {"units": "Tổ chức và tài khoản", "households": "Hộ gia đình", "targets": "Chỉ tiêu và đăng ký giúp"}
LABELS = {
    "users": "tài khoản mẫu",
    "users_created": "tài khoản mới tạo",
    "organisations": "tổ chức",
    "cam_lo_2020": "hộ huyện Cam Lộ (rà soát 2020)",
    "da_nang_2016": "hộ Đà Nẵng (rà soát 2016)",
    "cam_lo_2025": "hộ xã Cam Lộ (2025–2026)",
    "split_villages": "thôn của xã Hòa Liên (đã chia) được gán xã mới",
    "da_nang_2017_targets": "chỉ tiêu Đà Nẵng 2017",
    "cam_lo_2021_targets": "chỉ tiêu Cam Lộ 2021",
    "cam_lo_2021_baselines_computed": "số liệu đầu năm tính từ phiếu đã duyệt",
    "registrations_cam_lo_2021": "hộ được đăng ký giúp ở Cam Lộ 2021",
    "registrations_da_nang_2017": "hộ được đăng ký giúp ở Đà Nẵng 2017",
}

# Each app owns its demo data; they load in this order (later ones build on earlier ones).
DEMO_MODULES = ["units.demo", "households.demo", "targets.demo"]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (Cam Lộ 2020–2021, Đà Nẵng 2017, một xã 2025–2026) và tài khoản mẫu. Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON ra stdout.")

    def handle(self, *args, **options):
        from importlib import import_module

        if not AdministrativeUnit.objects.exists():
            raise CommandError("Chưa có đơn vị hành chính. Hãy chạy: python manage.py load_units")
        summary = {}
        with disable_auditlog():  # demo rows are not user changes
            for name in DEMO_MODULES:
                try:
                    module = import_module(name)
                except ModuleNotFoundError:
                    continue
                summary[name.split(".")[0]] = module.load()
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            for app, counts in summary.items():
                details = ", ".join(
                    f"{LABELS.get(key, key)}: {fmt_int(value) if isinstance(value, int) else value}"
                    for key, value in counts.items()
                )
                self.stdout.write(self.style.SUCCESS(f"{APPS.get(app, app)}: {details}"))
