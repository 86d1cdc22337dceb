"""Each dataset table's model saves through its default manager, which marks the dataset as changed, and
the dataset records a version that every write moves on (docs/decisions/0006-workspace-caching.md)."""

from typing import ClassVar

from django.db import migrations, models

DATASET_ROW_MODELS = (
    "ad1row",
    "advocacyreferralsrow",
    "auditsrow",
    "casetrackingrow",
    "childrenrow",
    "comparatorsrow",
    "consultationsrow",
    "disputesrow",
    "disputestagesrow",
    "dolorow",
    "episodesrow",
    "feedbackrow",
    "goodpracticerow",
    "independentvisitorsrow",
    "iroallocationsrow",
    "irocontactsrow",
    "irostaffrow",
    "midwayreviewsrow",
    "missingrow",
    "oc2row",
    "oc3row",
    "placedforadoptionrow",
    "populationrow",
    "practicealertsrow",
    "previouspermanencerow",
    "reviewdetailsrow",
    "reviewmeetingsrow",
    "reviewsrow",
    "swepisodesrow",
    "uascrow",
)


class Migration(migrations.Migration):
    dependencies: ClassVar = [("records", "0001_initial")]

    operations: ClassVar = [
        *(
            migrations.AlterModelOptions(name=name, options={"base_manager_name": "objects"})
            for name in DATASET_ROW_MODELS
        ),
        migrations.AddField(model_name="datasetinfo", name="version", field=models.BigIntegerField(default=1)),
    ]
