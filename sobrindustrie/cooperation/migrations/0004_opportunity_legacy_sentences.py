from django.db import migrations

BATCH = 500


def keep_sentences(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Each stored sentence (French, written by the engine before it returned codes) becomes the
    parameters of the ``legacy`` wording, with the names and distance an English page words it with."""
    # On the database being migrated (a scratch database during a restore is not the default one).
    opportunity = apps.get_model("cooperation", "DetectedOpportunity").objects.db_manager(
        schema_editor.connection.alias
    )
    rows = (
        opportunity.filter(wording="legacy")
        .select_related("provider", "receiver")
        .only("pk", "sentence", "distance_km", "provider__name", "receiver__name")
        .order_by("pk")
    )
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        row.wording_params = {
            "sentence": row.sentence,
            "provider": row.provider.name,
            "receiver": row.receiver.name,
            "km": round(row.distance_km),
        }
        batch.append(row)
        if len(batch) == BATCH:
            opportunity.bulk_update(batch, ["wording_params"])
            batch = []
    opportunity.bulk_update(batch, ["wording_params"])


def restore_sentences(apps, schema_editor):  # type: ignore[no-untyped-def]
    opportunity = apps.get_model("cooperation", "DetectedOpportunity").objects.db_manager(
        schema_editor.connection.alias
    )
    batch = []
    for row in opportunity.only("pk", "wording_params").order_by("pk").iterator(chunk_size=BATCH):
        row.sentence = (row.wording_params or {}).get("sentence", "")
        batch.append(row)
        if len(batch) == BATCH:
            opportunity.bulk_update(batch, ["sentence"])
            batch = []
    opportunity.bulk_update(batch, ["sentence"])


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0003_opportunity_wording"),
    ]

    operations = [migrations.RunPython(keep_sentences, restore_sentences)]
