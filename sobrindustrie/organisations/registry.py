"""The French administration's company registry: « l'annuaire des entreprises »
(recherche-entreprises.api.gouv.fr, published by DINUM from INSEE's Sirene register, no key).

`CompanyRegistry.search(text)` asks `GET /search?q=…` for a SIRET, a SIREN or a name and returns
typed `RegistryCompany` records: legal name, NAF code (normalised, `25.62A`), the establishment's
address, postcode and commune (INSEE code and name) and INSEE's headcount bracket. Answers are kept
in Django's cache (`COMPANY_REGISTRY_CACHE_SECONDS`, a day by default); failures are not, so the next
try asks again. Any failure raises `RegistryUnavailable` with a reason code the web layer words
(`REASONS`): the pages then let people type by hand.

Requests go through `requests` with `urllib3`'s `Retry`: a few quick retries on 429 (the API allows
about 7 requests a second per address) and on 5xx, with a short exponential back-off. `Retry-After`
is not obeyed: a page would wait for it, and a person is waiting for the page.

With `COMPANY_REGISTRY_RECORDINGS` set to a directory, the client reads recorded answers from it
instead of the network (`RecordedResponses`): the browser checks and the tests run offline on the
files of `tests/organisations/fixtures/registry/`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.text import slugify
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.util.retry import Retry

from sobrindustrie.organisations.enums import HeadcountBracket
from sobrindustrie.organisations.validators import normalise_naf, normalise_siret

REASONS: Final = ("timeout", "unreachable", "rate_limited", "server_error", "refused", "malformed")
CACHE_PREFIX: Final = "company-registry:v1:"
MIN_QUERY_LENGTH: Final = 3  # the API refuses shorter queries
RESULTS_PER_PAGE: Final = 5
USER_AGENT: Final = "Sobr'Industrie (ADEME industrial sobriety programme)"


class RegistryUnavailable(Exception):
    """The registry gave no usable answer; `reason` is one of `REASONS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class RegistryCompany:
    """One company as the registry describes it, at the establishment the query matched (the one of
    the SIRET asked for, else the head office)."""

    siren: str
    siret: str
    name: str
    naf_code: str
    address: str
    postcode: str
    commune_code: str
    commune_name: str
    headcount_bracket: str  # an INSEE code of HeadcountBracket, or "" when not published
    is_active: bool
    is_head_office: bool

    @property
    def headcount_label(self) -> str:
        return str(HeadcountBracket(self.headcount_bracket).label) if self.headcount_bracket else ""


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value).strip()
    raise RegistryUnavailable("malformed", f"{key} is a {type(value).__name__}")


def _street(place: dict[str, Any], postcode: str) -> str:
    """The street part of the registry's one-line address (`12 RUE X 13100 AIX…` → `12 RUE X`)."""
    full = _text(place, "adresse")
    cut = full.rfind(postcode) if postcode else -1
    return full[:cut].strip() if cut > 0 else full


def _establishment(result: dict[str, Any], siret: str) -> dict[str, Any]:
    head_office = result.get("siege") or {}
    matching = result.get("matching_etablissements") or []
    if not isinstance(head_office, dict) or not isinstance(matching, list):
        raise RegistryUnavailable("malformed", "siege or matching_etablissements")
    if siret:
        for place in [*matching, head_office]:
            if isinstance(place, dict) and place.get("siret") == siret:
                return place
    return head_office


def parse_company(result: Any, siret: str = "") -> RegistryCompany:
    """One item of the answer's `results`; RegistryUnavailable("malformed") when it is not one."""
    if not isinstance(result, dict):
        raise RegistryUnavailable("malformed", "a result is not an object")
    siren = _text(result, "siren")
    name = _text(result, "nom_raison_sociale") or _text(result, "nom_complet")
    if not siren or not name:
        raise RegistryUnavailable("malformed", "a result has no SIREN or no name")
    place = _establishment(result, siret)
    postcode = _text(place, "code_postal")
    bracket = _text(result, "tranche_effectif_salarie")
    return RegistryCompany(
        siren=siren,
        siret=_text(place, "siret"),
        name=name,
        naf_code=normalise_naf(_text(result, "activite_principale")),
        address=_street(place, postcode),
        postcode=postcode,
        commune_code=_text(place, "commune"),
        commune_name=_text(place, "libelle_commune"),
        headcount_bracket=bracket if bracket in HeadcountBracket.values else "",
        is_active=_text(place, "etat_administratif") != "F",
        is_head_office=place.get("est_siege") is True,
    )


def parse_answer(payload: Any, siret: str = "") -> list[RegistryCompany]:
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise RegistryUnavailable("malformed", "no list of results")
    return [parse_company(result, siret) for result in payload["results"]]


class RecordedResponses(BaseAdapter):
    """A `requests` transport answering from files instead of the network: `search/<query>.json`
    under `directory` (the query slugified: a SIRET is its 14 digits, `Forges du Sud` is
    `forges-du-sud`) holds the body the API gave. A query without a file answers what the API
    answers for an unknown company (no result); a file `<query>.status` holds a status to answer
    instead (429, 503…)."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        params = dict(parse_qsl(urlsplit(request.url or "").query))
        stem = self.directory / "search" / (slugify(params.get("q", "")) or "empty")
        status_file, body_file = stem.with_suffix(".status"), stem.with_suffix(".json")
        response = requests.Response()
        response.status_code = int(status_file.read_text().strip()) if status_file.exists() else 200
        if body_file.exists():
            response._content = body_file.read_bytes()
        else:
            empty = {"results": [], "total_results": 0, "page": 1, "per_page": 5, "total_pages": 0}
            response._content = json.dumps(empty).encode()
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


class CompanyRegistry:
    def __init__(
        self,
        base_url: str,
        timeout: float,
        retries: int,
        cache_seconds: int,
        backoff_factor: float = 0.3,
        recordings: Path | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cache_seconds = cache_seconds
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"
        adapter: BaseAdapter
        if recordings is not None:
            adapter = RecordedResponses(recordings)
        else:
            retry = Retry(
                total=retries,
                connect=retries,
                read=retries,
                status=retries,
                backoff_factor=backoff_factor,
                status_forcelist=(429, 500, 502, 503, 504),
                allowed_methods=frozenset({"GET"}),
                respect_retry_after_header=False,
                raise_on_status=False,
            )
            adapter = HTTPAdapter(max_retries=retry)
        self.session.mount(self.base_url, adapter)

    @classmethod
    def from_settings(cls) -> CompanyRegistry:
        recordings = settings.COMPANY_REGISTRY_RECORDINGS
        return cls(
            base_url=settings.COMPANY_REGISTRY_URL,
            timeout=settings.COMPANY_REGISTRY_TIMEOUT,
            retries=settings.COMPANY_REGISTRY_RETRIES,
            cache_seconds=settings.COMPANY_REGISTRY_CACHE_SECONDS,
            recordings=Path(recordings) if recordings else None,
        )

    def search(self, text: str) -> list[RegistryCompany]:
        """Companies matching a SIRET, a SIREN or a name (at most RESULTS_PER_PAGE); for a SIRET,
        each is described at that establishment. Raises RegistryUnavailable."""
        query = " ".join(text.split())
        siret = normalise_siret(query)
        if not (siret.isdigit() and len(siret) == 14):
            siret = ""
        else:
            query = siret
        if len(query) < MIN_QUERY_LENGTH:
            return []
        key = CACHE_PREFIX + hashlib.sha256(query.lower().encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return [RegistryCompany(**item) for item in cached]
        companies = parse_answer(self._get({"q": query, "page": 1, "per_page": RESULTS_PER_PAGE}), siret)
        cache.set(key, [asdict(company) for company in companies], self.cache_seconds)
        return companies

    def lookup(self, siret: str) -> RegistryCompany | None:
        """The company of a SIRET at that establishment, None when the registry does not know it."""
        siret = normalise_siret(siret)
        return next((c for c in self.search(siret) if c.siret == siret), None)

    def _get(self, params: dict[str, Any]) -> Any:
        try:
            response = self.session.get(f"{self.base_url}/search", params=params, timeout=self.timeout)
        except requests.Timeout as error:
            raise RegistryUnavailable("timeout", str(error)) from None
        except requests.RequestException as error:
            # Retries exhausted on timeouts surface as a ConnectionError wrapping urllib3's error.
            reason = "timeout" if "timed out" in str(error).lower() else "unreachable"
            raise RegistryUnavailable(reason, str(error)) from None
        if response.status_code == 429:
            raise RegistryUnavailable("rate_limited")
        if response.status_code >= 500:
            raise RegistryUnavailable("server_error", str(response.status_code))
        if response.status_code != 200:
            raise RegistryUnavailable("refused", f"{response.status_code} {response.text[:200]}")
        try:
            return response.json()
        except ValueError as error:
            raise RegistryUnavailable("malformed", str(error)) from None


def municipality_code(commune_code: str) -> str:
    """The INSEE code of the commune itself: Sirene places Paris, Lyon and Marseille in their
    arrondissements (13215 is Marseille's 15th), which the commune table does not list."""
    if commune_code.isdigit():
        number = int(commune_code)
        for first, last, city in ((13201, 13216, "13055"), (69381, 69389, "69123"), (75101, 75120, "75056")):
            if first <= number <= last:
                return city
    return commune_code
