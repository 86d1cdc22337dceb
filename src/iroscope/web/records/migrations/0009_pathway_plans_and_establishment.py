"""Two optional tables (decision 0018): pathway_plan_reviews, care leavers' pathway plan reviews and
whether the IRO service chaired each; and the establishment reference table, the full-time IRO posts
funded each year."""

from typing import ClassVar

import django.utils.timezone
from django.db import migrations, models

import iroscope.web.records.models


class Migration(migrations.Migration):
    dependencies: ClassVar = [
        ("records", "0008_participation_and_agency"),
    ]

    operations: ClassVar = [
        migrations.CreateModel(
            name="PathwayPlanReviewsRow",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("child_id", models.TextField()),
                ("review_date", models.DateField()),
                ("chaired_by_iro_service", models.TextField(null=True)),
                ("due_date", models.DateField(null=True)),
                ("source", models.TextField(db_default="workspace")),
                ("source_file", models.TextField(null=True)),
                ("added_by", models.TextField(default=iroscope.web.records.models._recorded_by, null=True)),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now, null=True)),
            ],
            options={
                "db_table": "dataset_pathway_plan_reviews",
                "base_manager_name": "objects",
                "constraints": [
                    models.UniqueConstraint(fields=("child_id", "review_date"), name="dataset_pathway_plan_reviews_key")
                ],
            },
        ),
        migrations.CreateModel(
            name="EstablishmentRow",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.TextField()),
                ("funded_fte", models.FloatField()),
                ("source", models.TextField(db_default="workspace")),
                ("source_file", models.TextField(null=True)),
                ("added_by", models.TextField(default=iroscope.web.records.models._recorded_by, null=True)),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now, null=True)),
            ],
            options={
                "db_table": "dataset_establishment",
                "base_manager_name": "objects",
                "constraints": [models.UniqueConstraint(fields=("year",), name="dataset_establishment_key")],
            },
        ),
    ]
