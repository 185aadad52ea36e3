"""The company-registry client, against a local HTTP server replaying recorded answers (no network)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache

from sobrindustrie.organisations.registry import (
    CompanyRegistry,
    RegistryCompany,
    RegistryUnavailable,
    municipality_code,
)

RECORDINGS = Path(__file__).parent / "fixtures" / "registry" / "search"
AIX_SIRET = "41235678400022"

Reply = tuple[int, bytes, float]  # status, body, seconds to wait before answering


class Replay:
    """A local registry: answers each request with the next scripted reply (the last one repeats)."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = replies
        self.queries: list[dict[str, list[str]]] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                replay.queries.append(parse_qs(urlparse(self.path).query))
                status, body, delay = replay.replies[min(len(replay.queries), len(replay.replies)) - 1]
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def client(self, timeout: float = 2.0, retries: int = 2) -> CompanyRegistry:
        return CompanyRegistry(self.url, timeout=timeout, retries=retries, cache_seconds=60, backoff_factor=0)


@pytest.fixture
def replay() -> Iterator[Callable[[list[Reply]], Replay]]:
    cache.clear()
    servers: list[Replay] = []

    def start(replies: list[Reply]) -> Replay:
        servers.append(Replay(replies))
        return servers[-1]

    yield start
    for server in servers:
        server.server.shutdown()
        server.server.server_close()
    cache.clear()


def recorded(name: str) -> bytes:
    return (RECORDINGS / name).read_bytes()


def test_it_reads_a_company_from_its_siret(replay: Callable[[list[Reply]], Replay]) -> None:
    registry = replay([(200, recorded(f"{AIX_SIRET}.json"), 0)])
    company = registry.client().lookup("412 356 784 00022")
    assert company == RegistryCompany(
        siren="412356784",
        siret=AIX_SIRET,
        name="MECANIQUE DE PRECISION DU PAYS D'AIX",
        naf_code="25.62A",
        address="15 RUE JEAN PERRIN",
        postcode="13290",
        commune_code="13001",
        commune_name="AIX-EN-PROVENCE",
        headcount_bracket="12",
        is_active=True,
        is_head_office=True,
    )
    assert registry.queries == [{"q": [AIX_SIRET], "page": ["1"], "per_page": ["5"]}]


def test_a_siret_of_a_secondary_establishment_gives_that_establishment(
    replay: Callable[[list[Reply]], Replay],
) -> None:
    registry = replay([(200, recorded("52879134600455.json"), 0)])
    company = registry.client().lookup("52879134600455")
    assert company is not None
    assert (company.commune_code, company.postcode, company.is_head_office) == ("13039", "13270", False)
    assert company.address == "ZONE INDUSTRIELLE DU CAVAOU"
    assert company.headcount_bracket == "22"  # the company's bracket, not the establishment's


def test_a_name_gives_several_candidates(replay: Callable[[list[Reply]], Replay]) -> None:
    registry = replay([(200, recorded("forges-du-sud.json"), 0)])
    companies = registry.client().search("  Forges du   Sud ")
    assert [c.name for c in companies] == ["FORGES DU SUD", "FORGES ET ATELIERS DU SUD-EST"]
    assert registry.queries[0]["q"] == ["Forges du Sud"]
    assert municipality_code(companies[0].commune_code) == "13055"  # Marseille, not its 15th arrondissement


def test_an_unknown_siret_is_not_found(replay: Callable[[list[Reply]], Replay]) -> None:
    empty = b'{"results": [], "total_results": 0, "page": 1, "per_page": 5, "total_pages": 0}'
    registry = replay([(200, empty, 0)])
    assert registry.client().lookup("73282932000074") is None


def test_a_query_too_short_asks_nothing(replay: Callable[[list[Reply]], Replay]) -> None:
    registry = replay([(200, b"{}", 0)])
    assert registry.client().search(" ab ") == []
    assert registry.queries == []


def test_a_registry_too_slow_is_a_timeout(replay: Callable[[list[Reply]], Replay]) -> None:
    registry = replay([(200, recorded(f"{AIX_SIRET}.json"), 1.0)])
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as raised:
        registry.client(timeout=0.2, retries=1).lookup(AIX_SIRET)
    assert raised.value.reason == "timeout"
    assert len(registry.queries) == 2  # the first try and one retry
    assert time.monotonic() - started < 2.5


def test_a_429_is_retried_then_answered(replay: Callable[[list[Reply]], Replay]) -> None:
    too_many = b'{"erreur": "Trop de requetes"}'
    registry = replay([(429, too_many, 0), (429, too_many, 0), (200, recorded(f"{AIX_SIRET}.json"), 0)])
    company = registry.client(retries=2).lookup(AIX_SIRET)
    assert company is not None and company.naf_code == "25.62A"
    assert len(registry.queries) == 3


def test_a_429_that_lasts_says_rate_limited(replay: Callable[[list[Reply]], Replay]) -> None:
    registry = replay([(429, b'{"erreur": "Trop de requetes"}', 0)])
    with pytest.raises(RegistryUnavailable) as raised:
        registry.client(retries=1).lookup(AIX_SIRET)
    assert raised.value.reason == "rate_limited"
    assert len(registry.queries) == 2


def test_a_server_error_is_retried_and_reported(replay: Callable[[list[Reply]], Replay]) -> None:
    registry = replay([(503, b'{"erreur": "Service temporairement indisponible"}', 0)])
    with pytest.raises(RegistryUnavailable) as raised:
        registry.client(retries=2).search("Forges du Sud")
    assert raised.value.reason == "server_error"
    assert len(registry.queries) == 3


def test_a_refused_query_is_not_retried(replay: Callable[[list[Reply]], Replay]) -> None:
    registry = replay([(400, b'{"erreur": "Veuillez indiquer au moins 3 caracteres"}', 0)])
    with pytest.raises(RegistryUnavailable) as raised:
        registry.client().search("Forges du Sud")
    assert raised.value.reason == "refused"
    assert len(registry.queries) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"<html>502 Bad Gateway</html>",  # not JSON at all
        b'{"results": "none"}',  # JSON, but not the answer's shape
        b'{"results": [{"siren": "412356784"}]}',  # a result without a name
        b'{"results": [{"siren": "412356784", "nom_complet": "X", "siege": {"adresse": ["a"]}}]}',
    ],
)
def test_a_malformed_answer_says_so_and_is_not_cached(
    replay: Callable[[list[Reply]], Replay], body: bytes
) -> None:
    registry = replay([(200, body, 0)])
    with pytest.raises(RegistryUnavailable) as raised:
        registry.client().search("Forges du Sud")
    assert raised.value.reason == "malformed"
    with pytest.raises(RegistryUnavailable):
        registry.client().search("Forges du Sud")
    assert len(registry.queries) == 2


def test_an_answer_is_cached(replay: Callable[[list[Reply]], Replay]) -> None:
    registry = replay([(200, recorded(f"{AIX_SIRET}.json"), 0)])
    first = registry.client().lookup(AIX_SIRET)
    second = registry.client().lookup("412 356 784 000 22")
    assert first == second is not None
    assert len(registry.queries) == 1


def test_an_unreachable_registry_says_so() -> None:
    cache.clear()
    # A port nothing listens on: the connection is refused at once.
    registry = CompanyRegistry("http://127.0.0.1:9", timeout=0.5, retries=0, cache_seconds=60)
    with pytest.raises(RegistryUnavailable) as raised:
        registry.lookup(AIX_SIRET)
    assert raised.value.reason == "unreachable"


def test_recorded_responses_answer_offline() -> None:
    cache.clear()
    registry = CompanyRegistry.from_settings()  # tests point COMPANY_REGISTRY_RECORDINGS at the fixtures
    company = registry.lookup(AIX_SIRET)
    assert company is not None and company.commune_code == "13001"
    assert registry.lookup("73282932000074") is None
    with pytest.raises(RegistryUnavailable) as raised:
        registry.lookup("60412397600010")
    assert raised.value.reason == "server_error"
