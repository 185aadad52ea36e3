"""The compliance dashboard against hand-built records: what the engine is given and what the page says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from sobrindustrie.deliverables.enums import DeliverableStatus
from sobrindustrie.deliverables.models import Deliverable
from sobrindustrie.meetings.enums import MeetingKind, MeetingStatus
from sobrindustrie.meetings.models import Minutes
from sobrindustrie.meetings.obligations import compliance, meeting_record
from sobrindustrie.organisations.models import Organisation
from tests.conftest import World
from tests.meetings.factories import MeetingFactory, TimeEntryFactory, local

TODAY = dt.date(2026, 11, 28)


def _rows(programme, code: str):  # type: ignore[no-untyped-def]
    return [row for row in compliance(programme, today=TODAY).rows if row.result.code == code]


def _meeting(world: World, kind: str, day: dt.date, **fields: object):  # type: ignore[no-untyped-def]
    return MeetingFactory(
        programme=world.programme,
        kind=kind,
        starts_at=local(day.year, day.month, day.day, 10),
        ends_at=local(day.year, day.month, day.day, 12),
        status=fields.pop("status", MeetingStatus.HELD),
        **fields,
    )


def test_the_dashboard_reads_meetings_minutes_reports_and_time(world: World) -> None:
    copil = _meeting(world, MeetingKind.COPIL, dt.date(2025, 10, 28), title="COPIL de lancement")
    Minutes.objects.create(meeting=copil, body="x", first_submitted_at=local(2025, 10, 31, 17))
    workshop_1 = _meeting(world, MeetingKind.WORKSHOP_1, dt.date(2025, 11, 25), title="Atelier 1")
    workshop_2 = _meeting(world, MeetingKind.WORKSHOP_2, dt.date(2026, 4, 9), title="Atelier 2")
    Minutes.objects.create(meeting=workshop_2, body="x", first_submitted_at=local(2026, 4, 20, 17))
    _meeting(world, MeetingKind.RESTITUTION_EVENT, dt.date(2026, 12, 10), status=MeetingStatus.PLANNED)
    report = Deliverable.objects.create(
        programme=world.programme,
        code="REPORT_M6",
        status=DeliverableStatus.VALIDATED,
        submitted_on=dt.date(2026, 4, 17),
    )
    organisation_type = ContentType.objects.get_for_model(Organisation)
    for days in ("3", "2.5"):
        TimeEntryFactory(
            programme=world.programme,
            consultant=world.users["consultant"],
            days=Decimal(days),
            object_kind="diagnostic",
            content_type=organisation_type,
            object_id=world.sme_org.pk,
            object_label="",
            date=dt.date(2026, 1, 12),
        )

    [kickoff] = _rows(world.programme, "COPIL_KICKOFF")
    assert kickoff.result.status == "met"
    assert [c.label for c in kickoff.counted] == ["COPIL de lancement (28 October 2025)"]
    assert kickoff.counted[0].url == copil.get_absolute_url()
    assert kickoff.summary == "1 held between 20 October 2025 and 20 November 2025 (at least 1 required)."

    minutes = {row.scope_label: row for row in _rows(world.programme, "MINUTES_WITHIN_5_WORKING_DAYS")}
    assert minutes["COPIL de lancement"].result.status == "met"
    assert minutes["Atelier 1"].result.status == "late"
    assert minutes["Atelier 1"].summary == (
        "Minutes of the meeting of 25 November 2025: not submitted; it was due on "
        "2 December 2025, 361 days ago."
    )
    assert minutes["Atelier 2"].result.status == "breached"
    assert minutes["Atelier 2"].summary.endswith(
        ": submitted on 20 April 2026, 4 days after the due date of 16 April 2026."
    )
    assert workshop_1.pk and workshop_2.pk

    [m6] = _rows(world.programme, "REPORT_M6")
    assert (m6.result.status, m6.result.counted_ids) == ("met", (f"d{report.pk}",))
    [m12] = _rows(world.programme, "REPORT_M12")
    assert m12.result.status == "late" and m12.badge == "error" and m12.status_label == "Late"

    [diagnostic] = _rows(world.programme, "DIAGNOSTIC_DAYS_CAP")
    assert diagnostic.result.status == "breached"
    assert diagnostic.scope_label == world.sme_org.name
    assert diagnostic.summary == "5.5 days spent on this diagnostic for a cap of 5: 0.5 days over."
    assert len(diagnostic.counted) == 2

    [intermediate] = _rows(world.programme, "RESTITUTION_INTERMEDIATE")
    assert intermediate.result.status == "on_track"

    [august] = [r for r in _rows(world.programme, "ADEME_EXCHANGE_MONTHLY") if r.result.period == "2026-08"]
    assert august.result.status == "breached" and august.summary.startswith(
        "0 held between 1 August 2026 and 31 August 2026"
    )


def test_a_meeting_marked_held_after_today_is_given_as_planned(world: World) -> None:
    meeting = _meeting(world, MeetingKind.COPIL, dt.date(2026, 12, 1))
    record = meeting_record(meeting, TODAY, frozenset())
    assert not record.held and record.is_planned(TODAY)


def test_minutes_dated_outside_the_meeting_and_today_are_ignored(world: World) -> None:
    meeting = _meeting(world, MeetingKind.COPIL, dt.date(2026, 11, 2))
    Minutes.objects.create(meeting=meeting, body="x", first_submitted_at=local(2026, 10, 30, 9))
    meeting.refresh_from_db()
    assert meeting_record(meeting, TODAY, frozenset()).minutes_submitted_on is None


def test_the_page_filters_by_status_and_lists_milestones(world: World) -> None:
    _meeting(world, MeetingKind.WORKSHOP_1, dt.date(2025, 11, 25), title="Atelier 1")
    client = world.client("ademe")
    url = reverse("www:obligations", args=[world.programme.slug])
    late = client.get(url + "?statut=late").content.decode()
    assert "Late" in late and "Minutes within 5 working days" in late
    assert "Met</span>" not in late
    everything = client.get(url).content.decode()
    assert "Milestone calendar" in everything and "15/10/2027" in everything
    assert "Minutes of the workshop_1 meeting" not in everything  # the engine's reasons, worded by the page
