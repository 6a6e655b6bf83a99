"""Reference data: service items for the transfer steps the catalogue lacked (Arts. 12, 14, 16):
public institution <-> enterprise pension, resident pension, unemployment insurance. Each has
its legal basis; the regulation names no number of days for them, so their limits are the
agency's internal targets, marked as not statutory."""

from django.db import migrations

CODES = frozenset(
    {
        "public_pension_transfer_accept",
        "public_pension_transfer_out",
        "public_pension_transfer_intake",
        "resident_pension_transfer_accept",
        "resident_pension_transfer_out",
        "resident_pension_transfer_intake",
        "unemployment_transfer_out",
        "unemployment_transfer_in",
    }
)


def seed(apps, schema_editor):
    from cases.catalogue_seed import seed_catalogue

    seed_catalogue(
        apps.get_model("cases", "ServiceItem"), apps.get_model("cases", "ItemMaterial"), CODES
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_catalogue_and_case_numbers")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
