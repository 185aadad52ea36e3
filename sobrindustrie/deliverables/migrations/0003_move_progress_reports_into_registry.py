"""Move the meetings area's ProgressReport rows into the deliverables registry.

The registry becomes the only record of the reports' delivery. Each recorded delivery makes the
report's registry row submitted on the recorded date, unless the registry already holds a submission
of it (the registry's page wrote ProgressReport rows itself on submission: the registry is kept).
An uploaded document becomes the report's next version and is marked as the submitted one; the
delivery's notes are kept as the note on the delivery.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

DELIVERED = ("submitted", "validated")


def _move(apps: Any, schema_editor: Any) -> None:
    progress_report = apps.get_model("meetings", "ProgressReport")
    deliverable_model = apps.get_model("deliverables", "Deliverable")
    file_model = apps.get_model("deliverables", "DeliverableFile")
    db = schema_editor.connection.alias  # the database being migrated (e.g. a backup's scratch one)
    for report in progress_report.objects.using(db).order_by("pk"):
        row, _created = deliverable_model.objects.using(db).get_or_create(programme_id=report.programme_id, code=report.code)
        if row.status in DELIVERED:
            if report.notes and not row.submission_note:
                row.submission_note = report.notes
                row.save(using=db, update_fields=["submission_note"])
            continue
        row.status = "submitted"
        row.submitted_on = report.delivered_on
        row.submission_note = report.notes
        if report.document:
            row.submitted_version = _attach(file_model, row, report, db)
        row.save(using=db)


def _attach(file_model: Any, row: Any, report: Any, db: str) -> int | None:
    """The uploaded document as the report's next version; None (and a note) if it is not readable."""
    name = report.document.name.rsplit("/", 1)[-1]
    try:
        size, digest = report.document.size, _sha256(report.document)
    except OSError:
        row.submission_note = f"{row.submission_note}\n[document not found in storage: {report.document.name}]".strip()
        return None
    version = (file_model.objects.using(db).filter(deliverable=row).order_by("-version").values_list("version", flat=True).first() or 0) + 1
    file_model.objects.using(db).create(
        deliverable=row,
        version=version,
        name=name[:200],
        title=name[:300],
        format=name.rsplit(".", 1)[-1].lower()[:10] if "." in name else "",
        file=report.document.name,
        size=size,
        sha256=digest,
    )
    return int(version)


def _sha256(field_file: Any) -> str:
    import hashlib

    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Migration(migrations.Migration):
    dependencies = [
        ("deliverables", "0002_record_submitted_version"),
        ("meetings", "0001_initial"),
    ]

    # Not reversible: the ProgressReport model goes away in the next meetings migration.
    operations = [migrations.RunPython(_move, migrations.RunPython.noop)]
