"""The planned measures an organisation can choose for a registered household (editable list)."""

from django.db import migrations

MEASURES = [
    ("vay-von-nhcsxh", "Vay vốn ưu đãi Ngân hàng Chính sách xã hội"),
    ("sinh-ke", "Hỗ trợ phương tiện sinh kế"),
    ("dao-tao-nghe", "Đào tạo nghề"),
    ("viec-lam", "Giới thiệu việc làm"),
    ("nha-o", "Hỗ trợ nhà ở"),
    ("bhyt", "Hỗ trợ bảo hiểm y tế"),
    ("hoc-tap", "Hỗ trợ học tập"),
    ("to-tiet-kiem", "Tham gia tổ tiết kiệm"),
    ("khac", "Khác"),
]


def load(apps, schema_editor):
    SupportMeasure = apps.get_model("targets", "SupportMeasure")
    for order, (code, name) in enumerate(MEASURES, start=1):
        SupportMeasure.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("targets", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
