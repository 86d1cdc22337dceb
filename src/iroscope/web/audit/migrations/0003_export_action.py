"""Exporting the whole dataset is an action of its own in the audit trail (decision 0012)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("audit", "0002_sign_in_actions"),)
    operations = (
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.TextField(
                choices=[
                    ("view_child", "Viewed a child's record"),
                    ("view_caseload", "Viewed a caseload"),
                    ("create", "Added a record"),
                    ("update", "Changed a record"),
                    ("delete", "Removed a record"),
                    ("load_dataset", "Loaded data into the dataset"),
                    ("export_dataset", "Exported the whole dataset"),
                    ("search_audit", "Searched the audit trail"),
                    ("sign_in", "Signed in"),
                    ("sign_in_refused", "Refused sign-in"),
                ]
            ),
        ),
    )
