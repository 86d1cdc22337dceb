"""Each import keeps the conflicts its check found between the upload and the workspace, and the
problems it found, in the database rather than in a file in the staging folder (decision 0012)."""

from typing import ClassVar

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies: ClassVar = [
        ("imports", "0001_initial"),
    ]

    operations: ClassVar = [
        migrations.AddField(
            model_name="dataimport",
            name="conflicts",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="dataimport",
            name="problems",
            field=models.JSONField(null=True),
        ),
    ]
