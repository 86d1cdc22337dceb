"""The sibling_groups activity table (docs/decisions/0008-sibling-groups.md)."""

from typing import ClassVar

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies: ClassVar = [("records", "0002_dataset_version")]

    operations: ClassVar = [
        migrations.CreateModel(
            name="SiblingGroupsRow",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("child_id", models.TextField()),
                ("sibling_group_id", models.TextField()),
            ],
            options={
                "db_table": "dataset_sibling_groups",
                "base_manager_name": "objects",
                "constraints": [models.UniqueConstraint(fields=("child_id",), name="dataset_sibling_groups_key")],
            },
        ),
    ]
