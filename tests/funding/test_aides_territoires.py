"""The Aides-territoires connector, on recorded answers served from 127.0.0.1 (no network)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sobrindustrie.funding.aides_territoires import AidesTerritoiresClient, AidesTerritoiresError, read_aids
from sobrindustrie.funding.enums import AidNature, SchemeSource
from sobrindustrie.funding.models import FundingScheme
from sobrindustrie.funding.refresh import RefreshRefused

FIXTURES = Path(__file__).parent / "fixtures" / "aides_territoires"
TODAY = dt.date(2026, 12, 7)
pytestmark = pytest.mark.usefixtures("english")


@dataclass
class FakeApi:
    base: str = ""
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, auth header
    #: answers to give before the real one, by path: status codes
    failures: dict[str, list[int]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, method: str) -> None:
            path = self.path
            auth = self.headers.get("Authorization") or self.headers.get("X-AUTH-TOKEN") or ""
            api.requests.append((method, path, auth))
            pending = api.failures.get(path.split("?")[0])
            if pending:
                self.send_response(pending.pop(0))
                self.end_headers()
                return
            if path == "/api/connexion/":
                name = "connexion.json"
            elif path.startswith("/api/aids/"):
                name = "aids_page_2.json" if "page=2" in path else "aids_page_1.json"
                if not auth.startswith("Bearer "):
                    self.send_response(401)
                    self.end_headers()
                    return
            else:
                self.send_response(404)
                self.end_headers()
                return
            body = api.pages.get(name) or (FIXTURES / name).read_text(encoding="utf-8")
            body = body.replace("{base}", api.base).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

    return Handler


@pytest.fixture
def api(settings: object) -> Iterator[FakeApi]:
    fake = FakeApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base = f"http://127.0.0.1:{server.server_address[1]}/api/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.AIDES_TERRITOIRES_TOKEN = "api-key-of-the-account"  # type: ignore[attr-defined]
    settings.AIDES_TERRITOIRES_URL = fake.base  # type: ignore[attr-defined]
    yield fake
    server.shutdown()
    server.server_close()


def test_the_client_gets_a_bearer_follows_pages_and_retries_a_failure(api: FakeApi) -> None:
    api.failures["/api/aids/"] = [503]
    client = AidesTerritoiresClient("api-key-of-the-account", api.base)
    aids = list(client.aids({"targeted_audiences": "private_sector"}))
    assert [aid["id"] for aid in aids] == [158742, 161203, 149877]
    assert api.requests[0] == ("POST", "/api/connexion/", "api-key-of-the-account")
    gets = [request for request in api.requests if request[0] == "GET"]
    assert len(gets) == 3  # the 503, its retry, the second page
    assert all(auth.startswith("Bearer eyJ") for _m, _p, auth in gets)


def test_an_unreachable_api_or_a_missing_key_is_said(api: FakeApi) -> None:
    with pytest.raises(AidesTerritoiresError, match="AIDES_TERRITOIRES_TOKEN"):
        AidesTerritoiresClient("", api.base)
    api.failures["/api/connexion/"] = [500, 500, 500, 500]
    with pytest.raises(AidesTerritoiresError, match="connexion"):
        list(AidesTerritoiresClient("key", api.base, retries=2).aids({}))


def test_aids_become_schemes_with_their_deadlines() -> None:
    page_1 = json.loads((FIXTURES / "aids_page_1.json").read_text(encoding="utf-8"))
    page_2 = json.loads((FIXTURES / "aids_page_2.json").read_text(encoding="utf-8"))
    incoming = read_aids(page_1["results"] + page_2["results"])
    region = incoming["aides-territoires-158742"].values
    assert region["contact_operator"] == "Conseil régional de Provence-Alpes-Côte d'Azur"
    assert region["valid_until"] == dt.date(2026, 12, 31) and region["submission_deadlines"] == ["2026-12-31"]
    assert region["nature"] == AidNature.FINANCING and region["max_rate_percent"] == Decimal(50)
    assert region["is_call_for_projects"] and region["source_url"].startswith(
        "https://aides-territoires.beta.gouv.fr/aides/"
    )
    feder = incoming["aides-territoires-161203"]
    assert feder.initial == {
        "funders": ["Union européenne", "Conseil régional de Provence-Alpes-Côte d'Azur"]
    }
    assert feder.values["extra"]["programs"] == ["FEDER"]
    loan = incoming["aides-territoires-149877"].values
    assert (
        loan["nature"] == AidNature.LOAN and loan["max_rate_percent"] is None and loan["valid_until"] is None
    )


def test_one_unusable_aid_refuses_them_all_and_names_its_field() -> None:
    page = json.loads((FIXTURES / "aids_page_1.json").read_text(encoding="utf-8"))
    page["results"][1]["submission_deadline"] = "31/03/2027"
    page["results"][0]["aid_types"] = ["Aide en nature"]
    with pytest.raises(RefreshRefused) as refused:
        read_aids(page["results"])
    lines = [item.line() for item in refused.value.broken]
    assert any(line.startswith("aid 161203") and "field “submission_deadline”" in line for line in lines)
    assert any(line.startswith("aid 158742") and "field “aid_types”" in line for line in lines)


@pytest.mark.django_db
def test_the_command_reports_then_applies_and_the_page_cleans_the_html(
    api: FakeApi, interface: object
) -> None:
    out = StringIO()
    call_command("import_aides_territoires", "--dry-run", "--today", TODAY.isoformat(), stdout=out)
    assert "New: 3" in out.getvalue() and not FundingScheme.objects.exists()
    call_command("import_aides_territoires", "--yes", "--today", TODAY.isoformat(), stdout=StringIO())
    assert FundingScheme.objects.filter(source=SchemeSource.AIDES_TERRITOIRES).count() == 3
    region = FundingScheme.objects.get(slug="aides-territoires-158742")
    assert region.funders == ["Conseil régional de Provence-Alpes-Côte d'Azur"]
    assert region.next_deadline(TODAY) == dt.date(2026, 12, 31)
    # The call closed: the next search no longer returns it; it is kept, withdrawn.
    page = json.loads((FIXTURES / "aids_page_1.json").read_text(encoding="utf-8"))
    page["results"] = page["results"][1:]
    api.pages["aids_page_1.json"] = json.dumps(page)
    out = StringIO()
    call_command("import_aides_territoires", "--yes", "--today", TODAY.isoformat(), stdout=out)
    assert "Withdrawn by the source (kept for history): 1\n  - aides-territoires-158742" in out.getvalue()
    assert FundingScheme.objects.get(slug="aides-territoires-158742").withdrawn_on == TODAY


@pytest.mark.django_db
def test_an_api_failure_changes_nothing(api: FakeApi) -> None:
    api.failures["/api/aids/"] = [502] * 10
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_aides_territoires", "--yes", stdout=StringIO())
    assert not FundingScheme.objects.exists()


@pytest.mark.django_db
def test_the_page_previews_then_applies_the_same_difference(api: FakeApi, funding_world: object) -> None:
    from django.urls import reverse

    world = funding_world.world  # type: ignore[attr-defined]
    client = world.client("consultant")
    url = reverse("www:funding_catalogue_refresh", args=[world.programme.slug])
    assert "Show the changes from Aides-territoires" in client.get(url).content.decode()
    preview = client.post(url)
    page = preview.content.decode()
    assert "New: 3" in page and "FEDER Provence-Alpes-Côte d&#x27;Azur 2021-2027" in page
    assert not FundingScheme.objects.filter(source=SchemeSource.AIDES_TERRITOIRES).exists()
    key = preview.context["plan_key"]
    stale = client.post(url, {"apply": "1", "plan": "something-else"})
    assert "The source changed since the preview" in stale.content.decode()
    assert not FundingScheme.objects.filter(source=SchemeSource.AIDES_TERRITOIRES).exists()
    applied = client.post(url, {"apply": "1", "plan": key})
    assert applied.status_code == 302
    assert FundingScheme.objects.filter(source=SchemeSource.AIDES_TERRITOIRES).count() == 3
    api.failures["/api/aids/"] = [502] * 10
    failed = client.post(url).content.decode()
    assert "Nothing was changed" in failed and "aids/" in failed
