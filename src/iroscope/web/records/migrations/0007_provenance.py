"""Every stored row says where it came from (decision 0012). Rows stored before this knew nothing of
it: each is given its table's source (an SSDA903 return, the activity workbook, reference figures),
except rows the audit trail shows were added or changed in the workspace, which become the
workspace's, by the person the trail names, so that no import can remove them."""

import datetime as dt
from typing import Any, ClassVar

import django.utils.timezone
from django.db import migrations, models

import iroscope.web.records.models


def _key_value(value: Any, kind: str) -> Any:
    if kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def sources_of_stored_rows(apps: Any, schema_editor: Any) -> None:
    from iroscope.data.schema import ALL_TABLES, Kind
    from iroscope.web.records.models import model_name

    alias = schema_editor.connection.alias
    # The schema is read as it is now: a table a later migration creates has no rows yet to mark.
    existing = {model.__name__ for model in apps.get_app_config("records").get_models()}
    tables = {table.name: table for table in ALL_TABLES if model_name(table) in existing}
    for table in tables.values():
        model = apps.get_model("records", model_name(table))
        model._base_manager.using(alias).update(source=table.source, added_by=None, added_at=None)
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = AuditEvent.objects.using(alias).filter(action__in=["create", "update"], table__in=list(tables))
    for event in events.order_by("at", "id").iterator():
        table = tables[event.table]
        after = event.after or {}
        if not all(name in after for name in table.key):
            continue
        kinds = {column.name: "date" if column.kind is Kind.DATE else "other" for column in table.columns}
        key = {name: _key_value(after[name], kinds[name]) for name in table.key}
        model = apps.get_model("records", model_name(table))
        model._base_manager.using(alias).filter(**key).update(
            source="workspace", added_by=event.username, added_at=event.at
        )


class Migration(migrations.Migration):
    dependencies: ClassVar = [
        ("records", "0006_dataset_change_columns"),
        ("audit", "0002_sign_in_actions"),
    ]

    operations: ClassVar = [
        migrations.AddField(
            model_name="ad1row",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="ad1row",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="ad1row",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="ad1row",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="advocacyreferralsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="advocacyreferralsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="advocacyreferralsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="advocacyreferralsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="auditsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="auditsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="auditsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="auditsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="casetrackingrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="casetrackingrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="casetrackingrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="casetrackingrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="childrenrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="childrenrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="childrenrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="childrenrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="comparatorsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="comparatorsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="comparatorsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="comparatorsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="consultationsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="consultationsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="consultationsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="consultationsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="datasetinfo",
            name="extracts",
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name="disputesrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="disputesrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="disputesrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="disputesrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="disputestagesrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="disputestagesrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="disputestagesrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="disputestagesrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="dolorow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="dolorow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="dolorow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="dolorow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="episodesrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="episodesrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="episodesrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="episodesrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="feedbackrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="feedbackrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="feedbackrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="feedbackrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="goodpracticerow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="goodpracticerow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="goodpracticerow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="goodpracticerow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="independentvisitorsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="independentvisitorsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="independentvisitorsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="independentvisitorsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="iroallocationsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="iroallocationsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="iroallocationsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="iroallocationsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="irocontactsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="irocontactsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="irocontactsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="irocontactsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="irostaffrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="irostaffrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="irostaffrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="irostaffrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="midwayreviewsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="midwayreviewsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="midwayreviewsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="midwayreviewsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="missingrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="missingrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="missingrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="missingrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="oc2row",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="oc2row",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="oc2row",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="oc2row",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="oc3row",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="oc3row",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="oc3row",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="oc3row",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="placedforadoptionrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="placedforadoptionrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="placedforadoptionrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="placedforadoptionrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="populationrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="populationrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="populationrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="populationrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="practicealertsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="practicealertsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="practicealertsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="practicealertsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="previouspermanencerow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="previouspermanencerow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="previouspermanencerow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="previouspermanencerow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="reviewdetailsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="reviewdetailsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="reviewdetailsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="reviewdetailsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="reviewmeetingsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="reviewmeetingsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="reviewmeetingsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="reviewmeetingsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="reviewsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="reviewsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="reviewsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="reviewsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="scheduledreviewsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="scheduledreviewsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="scheduledreviewsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="scheduledreviewsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="siblinggroupsrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="siblinggroupsrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="siblinggroupsrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="siblinggroupsrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="swepisodesrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="swepisodesrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="swepisodesrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="swepisodesrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="uascrow",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="uascrow",
            name="added_by",
            field=models.TextField(default=iroscope.web.records.models._recorded_by, null=True),
        ),
        migrations.AddField(
            model_name="uascrow",
            name="source",
            field=models.TextField(db_default="workspace"),
        ),
        migrations.AddField(
            model_name="uascrow",
            name="source_file",
            field=models.TextField(null=True),
        ),
        migrations.RunPython(sources_of_stored_rows, migrations.RunPython.noop),
    ]
