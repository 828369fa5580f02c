import json

from auditlog.context import disable_auditlog
from django.core.management.base import BaseCommand, CommandError

from units.models import AdministrativeUnit

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
                details = ", ".join(f"{key}: {value}" for key, value in counts.items())
                self.stdout.write(self.style.SUCCESS(f"{app}: {details}"))
