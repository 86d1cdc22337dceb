"""Changes recorded child by child: a worker reads again only the changed children's rows
(docs/decisions/0006-workspace-caching.md)."""

from typing import ClassVar

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies: ClassVar = [("records", "0003_sibling_groups")]

    operations: ClassVar = [
        migrations.AddField(model_name="datasetinfo", name="change", field=models.BigIntegerField(default=0)),
        migrations.CreateModel(
            name="DatasetChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("stamp", models.BigIntegerField()),
                ("table", models.TextField()),
                ("child_ids", models.JSONField()),
            ],
            options={"db_table": "dataset_change"},
        ),
    ]
