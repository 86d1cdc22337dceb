"""Each import keeps the conflicts its check found between the upload and the workspace."""

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
    ]
