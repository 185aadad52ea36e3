"""Regional calls from Aides-territoires (https://aides-territoires.beta.gouv.fr/api/) into the catalogue.

The API wants a bearer token: the account's API key (setting `AIDES_TERRITOIRES_TOKEN`) is exchanged
for one at `POST /api/connexion/` (header `X-AUTH-TOKEN`, answer `{"token": ...}`), then
`GET /api/aids/` answers pages `{count, next, previous, results}`, followed through `next`. The
client has connect and read timeouts and retries transient failures (connection errors, 429 and 5xx)
with a growing pause.

Each aid becomes a FundingScheme of source Aides-territoires, identified `aides-territoires-<id>`:
its name, texts (HTML, cleaned by nh3 on the page), financers and instructors, the nature of aid read
from its types, its start and submission deadline (the deadline is the call's end of validity and its
submission deadline, so that it expires and is notified like the others), its subsidy rate. The
refresh then shows the difference and applies it whole, like the Mission Transition Écologique one
(`funding.refresh`). Aids have no Publicodes rules: their eligibility stays undetermined, in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sobrindustrie.funding.enums import AidNature, SchemeSource
from sobrindustrie.funding.refresh import Broken, Incoming, RefreshRefused, check_values

BASE_URL: Final = "https://aides-territoires.beta.gouv.fr/api/"
SITE_URL: Final = "https://aides-territoires.beta.gouv.fr"
TIMEOUT: Final = (5, 30)  # seconds to connect, to read
MAX_PAGES: Final = 40
#: Aides-territoires' aid types → our natures, by priority (an aid of several types takes the first).
NATURES: Final = (
    ("subvention", AidNature.FINANCING),
    ("prêt", AidNature.LOAN),
    ("avance récupérable", AidNature.LOAN),
    ("certificat d'économie d'énergie", AidNature.FINANCING),
    ("autre aide financière", AidNature.FINANCING),
    ("ingénierie", AidNature.STUDY),
)
#: Model field → the API's field, to name the source's field in an error.
AT_KEYS: Final = {
    "title": "name",
    "promise": "short_title",
    "description": "description",
    "nature": "aid_types",
    "valid_from": "start_date",
    "valid_until": "submission_deadline",
    "submission_deadlines": "submission_deadline",
    "max_rate_percent": "subvention_rate_upper_bound",
    "url": "origin_url",
    "source_url": "url",
    "contact_operator": "financers",
}
EXTRA_KEYS: Final = (
    "perimeter",
    "programs",
    "categories",
    "recurrence",
    "targeted_audiences",
    "destinations",
    "mobilization_steps",
    "contact",
    "project_examples",
)


class AidesTerritoiresError(RuntimeError):
    """The API could not be reached or answered something unusable: nothing was changed."""


class AidesTerritoiresClient:
    def __init__(
        self,
        api_key: str,
        base_url: str = BASE_URL,
        *,
        session: requests.Session | None = None,
        retries: int = 3,
        timeout: tuple[float, float] = TIMEOUT,
    ) -> None:
        if not api_key:
            raise AidesTerritoiresError("AIDES_TERRITOIRES_TOKEN is not set: no API key to ask for a token")
        self.api_key = api_key
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self.session = session or requests.Session()
        retry = Retry(
            total=retries,
            backoff_factor=0.5,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"GET", "POST"}),
            respect_retry_after_header=True,
        )
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self._bearer = ""

    def _json(self, method: str, url: str, **kwargs: Any) -> Any:
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            response.raise_for_status()
            return response.json()
        except requests.RequestException as error:
            raise AidesTerritoiresError(f"{method} {url}: {error}") from None
        except ValueError:
            raise AidesTerritoiresError(f"{method} {url}: the answer is not JSON") from None

    def bearer(self) -> str:
        if not self._bearer:
            answer = self._json("POST", self.base_url + "connexion/", headers={"X-AUTH-TOKEN": self.api_key})
            token = answer.get("token") if isinstance(answer, Mapping) else None
            if not isinstance(token, str) or not token:
                raise AidesTerritoiresError("connexion/: no token in the answer")
            self._bearer = token
        return self._bearer

    def aids(self, params: Mapping[str, str]) -> Iterator[dict[str, Any]]:
        """Every aid the search returns, page after page."""
        url: str | None = self.base_url + "aids/"
        query: Mapping[str, str] | None = params
        for _page in range(MAX_PAGES):
            if url is None:
                return
            page = self._json("GET", url, params=query, headers={"Authorization": f"Bearer {self.bearer()}"})
            if not isinstance(page, Mapping) or not isinstance(page.get("results"), list):
                raise AidesTerritoiresError("aids/: the answer has no list of results")
            yield from page["results"]
            url, query = page.get("next") or None, None  # `next` carries the query already
        raise AidesTerritoiresError(f"aids/: more than {MAX_PAGES} pages; narrow the search")


def _names(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(item).strip() for item in value if str(item).strip()]


def _date(aid: Mapping[str, Any], key: str) -> dt.date | None:
    value = aid.get(key)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"`{key}` must be a date written YYYY-MM-DD, not {value!r}") from None


def _nature(aid: Mapping[str, Any]) -> AidNature:
    types = [name.lower() for name in _names(aid.get("aid_types"))]
    for prefix, nature in NATURES:
        if any(name.startswith(prefix) for name in types):
            return nature
    raise ValueError(f"`aid_types` has no known type of aid: {types!r}")


def _rate(aid: Mapping[str, Any]) -> Decimal | None:
    value = aid.get("subvention_rate_upper_bound")
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"`subvention_rate_upper_bound` must be a number, not {value!r}") from None


def scheme_values(aid: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(values the source sets, values set on creation only); ValueError naming the API's field."""
    name = str(aid.get("name") or "").strip()
    if not name:
        raise ValueError("`name` is missing")
    financers = _names(aid.get("financers"))
    instructors = _names(aid.get("instructors"))
    operators = list(dict.fromkeys([*instructors, *financers]))
    deadline = _date(aid, "submission_deadline")
    nature = _nature(aid)
    page = str(aid.get("url") or "")
    values: dict[str, Any] = {
        "source": SchemeSource.AIDES_TERRITOIRES,
        "title": name,
        "promise": str(aid.get("short_title") or "").strip(),
        "description": str(aid.get("description") or "").strip(),
        "eligibility_conditions": (
            {"critères d'éligibilité": [str(aid["eligibility"]).strip()]} if aid.get("eligibility") else {}
        ),
        "contact_operator": operators[0] if operators else "",
        "other_operators": operators[1:],
        "nature": nature,
        "funding_amount_text": str(aid.get("subvention_comment") or "").strip(),
        "loan_amount_text": str(aid.get("loan_amount") or "") if nature == AidNature.LOAN else "",
        "max_rate_percent": _rate(aid) if nature != AidNature.LOAN else None,
        "valid_from": _date(aid, "start_date"),
        "valid_until": deadline,
        "submission_deadlines": [deadline.isoformat()] if deadline else [],
        "is_call_for_projects": bool(aid.get("is_call_for_project")),
        "url": str(aid.get("origin_url") or aid.get("application_url") or "").strip()[:500],
        "source_url": (SITE_URL + page if page.startswith("/") else page)[:500],
        "extra": {key: aid[key] for key in EXTRA_KEYS if aid.get(key) not in (None, "", [])},
    }
    updated = _date(aid, "date_updated") or _date(aid, "date_created")
    if updated is not None:
        values["source_date"] = updated
    return values, {"funders": financers}


def read_aids(aids: list[dict[str, Any]]) -> dict[str, Incoming]:
    """The aids as catalogue entries; RefreshRefused naming every unusable aid and its field."""
    incoming: dict[str, Incoming] = {}
    broken: list[Broken] = []
    for aid in aids:
        label = f"aid {aid.get('id', '?')} ({aid.get('slug') or aid.get('name') or '?'})"
        if not isinstance(aid.get("id"), int):
            broken.append(Broken(label, "id", "missing or not a number"))
            continue
        try:
            values, initial = scheme_values(aid)
        except ValueError as error:
            field = str(error).split("`")[1] if "`" in str(error) else ""
            broken.append(Broken(label, field, str(error)))
            continue
        entry = Incoming(f"aides-territoires-{aid['id']}", values, label, initial)
        problems = check_values(entry, AT_KEYS)
        broken += problems
        if not problems:
            incoming[entry.slug] = entry
    if broken:
        raise RefreshRefused(broken)
    return incoming
