"""The fiscal year start month moves from the scorecard policy to the vendor, where every app
reads it: each vendor's policy value is copied first, then the policy's column is dropped."""

from django.db import migrations


def _policy_months(connection) -> list[tuple[int, int]]:
    """``(vendor id, fiscal month)`` of every policy. The policy table enforces row-level
    security even for its owner, so each vendor's row is read in that vendor's setting."""
    rows = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM partners_vendor ORDER BY id")
        for (vendor_id,) in cursor.fetchall():
            cursor.execute("SELECT set_config('app.vendor_id', %s, true)", [str(vendor_id)])
            cursor.execute(
                "SELECT vendor_id, fiscal_year_start_month FROM scorecards_scorecardpolicy"
                " WHERE vendor_id = %s",
                [vendor_id],
            )
            rows.extend(cursor.fetchall())
        cursor.execute("SELECT set_config('app.vendor_id', '', true)")
    return rows


def copy_to_vendor(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for vendor_id, month in _policy_months(connection):
            cursor.execute(
                "UPDATE partners_vendor SET fiscal_year_start_month = %s WHERE id = %s",
                [month, vendor_id],
            )


def copy_to_policy(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, fiscal_year_start_month FROM partners_vendor ORDER BY id")
        for vendor_id, month in cursor.fetchall():
            cursor.execute("SELECT set_config('app.vendor_id', %s, true)", [str(vendor_id)])
            cursor.execute(
                "UPDATE scorecards_scorecardpolicy SET fiscal_year_start_month = %s"
                " WHERE vendor_id = %s",
                [month, vendor_id],
            )
        cursor.execute("SELECT set_config('app.vendor_id', '', true)")


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0009_vendor_fiscal_year_start_month"),
        ("scorecards", "0005_qbr_meeting"),
    ]

    operations = [
        migrations.RunPython(copy_to_vendor, copy_to_policy),
        migrations.RemoveConstraint(
            model_name="scorecardpolicy",
            name="policy_fiscal_month_valid",
        ),
        migrations.RemoveField(
            model_name="scorecardpolicy",
            name="fiscal_year_start_month",
        ),
    ]
