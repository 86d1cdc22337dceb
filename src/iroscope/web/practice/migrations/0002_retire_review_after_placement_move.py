"""The setting "review after a placement move" is removed: it never changed the review schedule, and a
placement move does not make a review due under the 2010 regulations (decision 0017). Stored settings,
on the settings page and with the loaded dataset, lose it, so they still read as a `LocalPractice`."""

from typing import Any, ClassVar

from django.db import migrations

RETIRED = "review_after_placement_move_working_days"


def forget_the_setting(apps: Any, schema_editor: Any) -> None:
    for model_name, app_label, field in (
        ("PracticeSettings", "practice", "values"),
        ("DatasetInfo", "records", "practice"),
    ):
        model = apps.get_model(app_label, model_name)
        # The database being migrated, which need not be the default one (the tests' PostgreSQL alias).
        rows = model.objects.using(schema_editor.connection.alias)
        for row in rows.all():
            values = getattr(row, field)
            if isinstance(values, dict) and RETIRED in values:
                del values[RETIRED]
                rows.filter(pk=row.pk).update(**{field: values})


class Migration(migrations.Migration):
    dependencies: ClassVar = [
        ("practice", "0001_initial"),
        ("records", "0007_provenance"),
    ]

    operations: ClassVar = [
        migrations.RunPython(forget_the_setting, migrations.RunPython.noop),
    ]
