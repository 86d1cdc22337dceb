"""An import may be an export of the Standard Safeguarding Dataset (decision 0027)."""

from typing import ClassVar

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies: ClassVar = [
        ("imports", "0002_conflicts"),
    ]

    operations: ClassVar = [
        migrations.AlterField(
            model_name="dataimport",
            name="kind",
            field=models.TextField(
                choices=[
                    ("ssda903", "SSDA903 return"),
                    ("activity", "Activity workbook"),
                    ("ssd", "Standard Safeguarding Dataset export"),
                ]
            ),
        ),
    ]
