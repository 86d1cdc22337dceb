"""Which columns a change to stored rows touched, so that workers keep what does not read them."""

from typing import ClassVar

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies: ClassVar = [("records", "0005_scheduled_reviews")]

    operations: ClassVar = [
        migrations.AddField(model_name="datasetchange", name="columns", field=models.JSONField(null=True)),
    ]
