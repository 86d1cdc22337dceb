"""Each entry names its subject (the list, the account, the page); failed sign-ins, lockouts, unlocks,
password changes, views of pages, lists and downloads, and downloads of the audit trail are actions of
their own (decision 0015)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("audit", "0003_export_action"),)
    operations = (
        migrations.AddField(model_name="auditevent", name="subject", field=models.TextField(null=True)),
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
                    ("sign_in_failed", "Failed sign-in (wrong user name or password)"),
                    ("locked_out", "Locked out after too many failed sign-ins"),
                    ("unlock", "Unlocked a locked sign-in"),
                    ("password_change", "Changed their own password"),
                    ("view_page", "Viewed a page about a child"),
                    ("view_list", "Viewed a list of children"),
                    ("download_list", "Downloaded a list of children"),
                    ("export_audit", "Downloaded the audit trail"),
                ]
            ),
        ),
    )
