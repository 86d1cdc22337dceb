"""The optional fields the seed reports count and SSDA903 does not (decision 0018): on each review, why
a child aged 4 or over did not attend, whether the child chaired it, and whether a parent and the
carer took part; on each IRO, whether they work through an agency. All blank for rows stored before."""

from typing import ClassVar

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies: ClassVar = [("records", "0007_provenance")]

    operations: ClassVar = [
        migrations.AddField(model_name="irostaffrow", name="agency", field=models.TextField(null=True)),
        migrations.AddField(
            model_name="reviewdetailsrow", name="carers_participated", field=models.TextField(null=True)
        ),
        migrations.AddField(model_name="reviewdetailsrow", name="child_chaired", field=models.TextField(null=True)),
        migrations.AddField(
            model_name="reviewdetailsrow", name="non_attendance_reason", field=models.TextField(null=True)
        ),
        migrations.AddField(
            model_name="reviewdetailsrow", name="parents_participated", field=models.TextField(null=True)
        ),
    ]
