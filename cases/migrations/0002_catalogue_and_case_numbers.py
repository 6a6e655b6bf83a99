"""Reference data: the regulation's service catalogue, the four-eyes threshold defaults, and the
sequence case numbers are drawn from."""

from django.db import migrations


def seed(apps, schema_editor):
    from cases.catalogue_seed import seed_catalogue, seed_policy_defaults

    seed_catalogue(apps.get_model("cases", "ServiceItem"), apps.get_model("cases", "ItemMaterial"))
    seed_policy_defaults(apps.get_model("core", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("core", "0002_seed_calendar"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS cases_case_number_seq",
            "DROP SEQUENCE IF EXISTS cases_case_number_seq",
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
