"""Sign-ins and refused sign-ins are audited (single sign-on, decision 0007)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("audit", "0001_initial"),)
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
                    ("load_dataset", "Replaced the dataset"),
                    ("search_audit", "Searched the audit trail"),
                    ("sign_in", "Signed in"),
                    ("sign_in_refused", "Refused sign-in"),
                ]
            ),
        ),
    )
