"""The trip form offers the meetings around today, not the whole programme's (up to ~1,500)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sobrindustrie.evaluation.models import Trip
from sobrindustrie.www.evaluation_views.forms import MEETINGS_DAYS_AHEAD, MEETINGS_DAYS_BACK, trip_meetings
from tests.conftest import ROLES
from tests.evaluation.conftest import EvalWorld
from tests.evaluation.factories import TripFactory
from tests.meetings.factories import MeetingFactory

OK, NOT_FOUND, LOGIN = 200, 404, 302
TRIP = {"day": "2026-03-02", "origin": "Marseille", "destination": "Nice", "km": "200", "mode": "ter",
        "people": "1", "justification": ""}  # fmt: skip


def _at(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """`days` from today, at a local time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _meeting(ew: EvalWorld, days: int, title: str, **kwargs: object) -> object:
    starts_at = _at(days)
    return MeetingFactory(
        programme=ew.world.programme, title=title, starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2), **kwargs,
    )  # fmt: skip


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="meeting".*?</select>', html, re.S)
    assert select, "no meeting select"
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select.group(0))


def test_the_window_runs_from_90_days_back_to_30_days_ahead(eval_world: EvalWorld) -> None:
    programme = eval_world.world.programme
    today = dt.date(2026, 6, 15)

    def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    first_day = today - dt.timedelta(days=MEETINGS_DAYS_BACK)
    last_day = today + dt.timedelta(days=MEETINGS_DAYS_AHEAD)
    starts = {
        "too early": local(first_day - dt.timedelta(days=1), 23, 59),
        "first day": local(first_day, 0),
        "today": local(today, 9),
        "last day": local(last_day, 23, 59),
        "too late": local(last_day + dt.timedelta(days=1), 0),
    }
    for title, starts_at in starts.items():
        MeetingFactory(programme=programme, title=title, starts_at=starts_at)
    MeetingFactory(title="another programme", starts_at=local(today, 10))
    titles = [m.title for m in trip_meetings(programme, today)]
    assert titles == ["last day", "today", "first day"]


def test_the_new_trip_form_lists_the_meetings_around_today_newest_first(eval_world: EvalWorld) -> None:
    for days in (-120, -91, -80, -1, 0, 3, 29, 31, 200):
        _meeting(eval_world, days, f"J{days:+d}")
    MeetingFactory(title="Réunion d'un autre programme", starts_at=_at(0))
    response = eval_world.client("consultant").get(
        reverse("www:trip_create", args=[eval_world.world.programme.slug])
    )
    html = response.content.decode()
    labels = _options(html)
    assert [label.split(" — ")[1] for label in labels] == ["J+29", "J+3", "J+0", "J-1", "J-80"]
    assert labels[2] == f"{timezone.localdate():%d/%m/%Y} — J+0"  # the date says which meeting it is
    assert f"{MEETINGS_DAYS_BACK}" in html and f"{MEETINGS_DAYS_AHEAD}" in html  # the help text says why


def test_editing_keeps_the_trips_older_meeting(eval_world: EvalWorld) -> None:
    old = _meeting(eval_world, -200, "Atelier de lancement")
    _meeting(eval_world, -2, "Suivi récent")
    trip = TripFactory(programme=eval_world.world.programme, meeting=old)
    url = reverse("www:trip_edit", args=[trip.pk])
    client = eval_world.client("consultant")
    labels = _options(client.get(url).content.decode())
    assert [label.split(" — ")[1] for label in labels] == ["Suivi récent", "Atelier de lancement"]
    response = client.post(url, {**TRIP, "meeting": old.pk, "expected_version": trip.version})
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.meeting == old and trip.destination == "Nice"


def test_another_programmes_meeting_is_refused(eval_world: EvalWorld) -> None:
    foreign = MeetingFactory(title="Réunion d'Occitanie", starts_at=_at(-1))
    url = reverse("www:trip_create", args=[eval_world.world.programme.slug])
    response = eval_world.client("consultant").post(url, {**TRIP, "meeting": foreign.pk})
    assert response.status_code == OK and 'id="id_meeting-error"' in response.content.decode()
    assert not Trip.objects.exists()
    trip = TripFactory(programme=eval_world.world.programme)
    response = eval_world.client("consultant").post(
        reverse("www:trip_edit", args=[trip.pk]),
        {**TRIP, "meeting": foreign.pk, "expected_version": trip.version},
    )
    assert response.status_code == OK
    trip.refresh_from_db()
    assert trip.meeting is None


def test_a_meeting_outside_the_window_is_refused_for_a_new_trip(eval_world: EvalWorld) -> None:
    old = _meeting(eval_world, -200, "Atelier de lancement")
    recent = _meeting(eval_world, -2, "Suivi récent")
    url = reverse("www:trip_create", args=[eval_world.world.programme.slug])
    client = eval_world.client("consultant")
    assert client.post(url, {**TRIP, "meeting": old.pk}).status_code == OK
    assert not Trip.objects.exists()
    assert client.post(url, {**TRIP, "meeting": recent.pk}).status_code == 302
    assert Trip.objects.get().meeting == recent


RECORDED = "recorded"  # a redirection to the travel log, as the login page is one too
# role:    anon   ademe      consult   sme        o_sme      partner    staff     out_c      out_sme
RECORDS = [LOGIN, NOT_FOUND, RECORDED, NOT_FOUND, NOT_FOUND, NOT_FOUND, RECORDED, NOT_FOUND, NOT_FOUND]


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_only_the_programmes_consultants_record_a_trip(
    eval_world: EvalWorld, role_index: int, role: str
) -> None:
    meeting = _meeting(eval_world, -2, "Suivi récent")
    slug = eval_world.world.programme.slug
    response = eval_world.client(role).post(
        reverse("www:trip_create", args=[slug]), {**TRIP, "meeting": meeting.pk}
    )
    expected = RECORDS[role_index]
    if expected == RECORDED:
        assert response.status_code == 302 and response["Location"] == reverse("www:travel_log", args=[slug])
    else:
        assert response.status_code == expected, role
    if expected == LOGIN:
        assert response["Location"].startswith(reverse("www:login"))
    assert Trip.objects.filter(meeting=meeting).exists() is (expected == RECORDED)


@pytest.mark.parametrize("page", ["trip_create", "trip_edit"])
def test_queries_do_not_grow_with_the_meetings(
    eval_world: EvalWorld, page: str, django_assert_max_num_queries: object
) -> None:
    programme = eval_world.world.programme
    trip = TripFactory(programme=programme, meeting=_meeting(eval_world, -300, "Ancienne"))
    url = reverse(f"www:{page}", args=[programme.slug if page == "trip_create" else trip.pk])
    client = eval_world.client("consultant")
    for days in range(-5, 5):
        _meeting(eval_world, days, f"Réunion {days}")
    client.get(url)  # warm the session and content-type caches
    with django_assert_max_num_queries(100) as few:  # type: ignore[operator]
        assert client.get(url).status_code == OK
    many = range(-400, 400, 4)
    for days in many:
        _meeting(eval_world, days, f"Réunion {days}")
    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
        html = client.get(url).content.decode()
    in_window = sum(1 for days in many if -MEETINGS_DAYS_BACK <= days <= MEETINGS_DAYS_AHEAD)
    assert len(_options(html)) == 10 + in_window + (page == "trip_edit")
