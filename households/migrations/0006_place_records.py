"""Place every existing unit, household and assessment in the 2025 tree (units/placement.py)."""

from django.db import migrations

from units.placement import place_everything


def forwards(apps, schema_editor):
    Unit = apps.get_model("units", "AdministrativeUnit")
    Lineage = apps.get_model("units", "UnitLineage")
    records = [apps.get_model("households", name).objects.all() for name in ("Household", "Assessment")]
    place_everything(Unit, Lineage, records)


class Migration(migrations.Migration):
    dependencies = [("households", "0005_placement_2025"), ("units", "0005_placement_2025")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
