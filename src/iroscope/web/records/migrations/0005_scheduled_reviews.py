"""The scheduled_reviews activity table: reviews business support booked, before and after they are held."""

from typing import ClassVar

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies: ClassVar = [("records", "0004_dataset_changes")]

    operations: ClassVar = [
        migrations.CreateModel(
            name="ScheduledReviewsRow",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("child_id", models.TextField()),
                ("scheduled_date", models.DateField()),
                ("format", models.TextField(null=True)),
                ("booked_date", models.DateField(null=True)),
                ("invitations_sent_date", models.DateField(null=True)),
            ],
            options={
                "db_table": "dataset_scheduled_reviews",
                "base_manager_name": "objects",
                "constraints": [
                    models.UniqueConstraint(fields=("child_id", "scheduled_date"), name="dataset_scheduled_reviews_key")
                ],
            },
        ),
    ]
