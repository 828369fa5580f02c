from django.core.management.base import BaseCommand

from units.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "In danh sách tài khoản mẫu và mật khẩu."

    def handle(self, *args, **options):
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, full_name, _role, _unit, _org, what in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {full_name:<20} {what}")
