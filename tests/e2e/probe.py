"""Load one page in the browser and check it: accessibility, weight, console, foreign requests.

Every load is cold (the browser cache is disabled through the DevTools protocol), as EcoIndex
measures it: a page must be light for someone opening it for the first time, not only on the
tenth visit. Sizes are what went over the wire (`encodedDataLength`: compressed bodies plus headers).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page

from tests.e2e.ecoindex import EcoIndex, compute_ecoindex

MIN_ECOINDEX = 70  # grade B: ecoindex-compute gives B to a score above 70
BLOCKING_IMPACTS = ("serious", "critical")
ALLOWED_HOST = "127.0.0.1"
IDLE_TIMEOUT_S = 5.0

# EcoIndex counts every element except what is drawn inside an <svg>.
COUNT_DOM_ELEMENTS = "document.querySelectorAll('*').length - document.querySelectorAll('svg *').length"
RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ['violations']});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        targets: v.nodes.map(n => n.target.join(' ')),
    }));
}"""


def path_of(url: str) -> str:
    """The path of `url` with its query string, if any (`/calendrier/?mois=2026-03`)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


# Inputs, selects and text areas drawn without their DSFR class (a bare input has no border and a
# transparent background: the login page's password box could not be seen). Checkboxes, radio
# buttons and hidden or button inputs take their look from the group around them.
UNSTYLED_FIELDS = """() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter(el => !(el.tagName === "INPUT"
    && ["hidden", "checkbox", "radio", "submit", "button", "reset", "image"].includes(el.type)))
  .filter(el => !["fr-input", "fr-select", "fr-upload", "fr-range"].some(c => el.classList.contains(c)))
  .map(el => `${el.tagName.toLowerCase()}[name=${el.name || el.id || "?"}]`)"""


@dataclass
class PageCheck:
    """What one visit found. `problems()` lists what fails the check, one readable line each."""

    role: str
    name: str
    requested_path: str
    final_path: str = ""
    status: int = 0
    ecoindex: EcoIndex | None = None
    violations: list[dict[str, Any]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    unstyled_fields: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        shown = self.requested_path
        if self.final_path and self.final_path != self.requested_path:
            shown += f" → {self.final_path}"
        return f"{self.role} · {self.name} ({shown})"

    def problems(self) -> list[str]:
        found = []
        if self.status != 200:
            found.append(f"HTTP status {self.status}, expected 200")
        for violation in self.violations:
            targets = ", ".join(violation["targets"][:5])
            more = len(violation["targets"]) - 5
            found.append(
                f"axe {violation['impact']} [{violation['id']}] {violation['help']} — on {targets}"
                + (f" (+{more} more)" if more > 0 else "")
                + f" — {violation['helpUrl']}"
            )
        if self.ecoindex is not None and self.ecoindex.score <= MIN_ECOINDEX:
            found.append(f"{self.ecoindex.describe()}; grade B needs a score above {MIN_ECOINDEX}")
        found.extend(f"console error: {message}" for message in self.console_errors)
        found.extend(f"request to another host: {url}" for url in self.foreign_requests)
        found.extend(f"form field without its DSFR class: {field}" for field in self.unstyled_fields)
        return found


class NetworkLog:
    """Requests of the current page load, as the DevTools protocol reports them."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.urls: dict[str, str] = {}
        self.pending: set[str] = set()
        self.request_count = 0
        self.transferred_bytes = 0

    def on_request(self, event: dict[str, Any]) -> None:
        url = event["request"]["url"]
        if url.startswith(("data:", "blob:")):
            return
        redirect = event.get("redirectResponse")
        if redirect is not None:  # same requestId, next hop: the redirect's own bytes count
            self.transferred_bytes += int(redirect.get("encodedDataLength", 0))
        self.request_count += 1
        self.urls[event["requestId"]] = url
        self.pending.add(event["requestId"])

    def on_finished(self, event: dict[str, Any]) -> None:
        if event["requestId"] in self.pending:
            self.transferred_bytes += int(event["encodedDataLength"])
            self.pending.discard(event["requestId"])

    def on_failed(self, event: dict[str, Any]) -> None:
        self.pending.discard(event["requestId"])


class PageProbe:
    """One browser tab of a role's context, instrumented for the checks."""

    def __init__(self, context: BrowserContext, role: str, axe_script: Path) -> None:
        self.role = role
        self.axe_script = axe_script
        self.page: Page = context.new_page()
        self.console_errors: list[str] = []
        self.network = NetworkLog()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"uncaught {error}"))
        cdp = context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.on("Network.requestWillBeSent", self.network.on_request)
        cdp.on("Network.loadingFinished", self.network.on_finished)
        cdp.on("Network.loadingFailed", self.network.on_failed)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _wait_for_network_idle(self) -> None:
        deadline = time.monotonic() + IDLE_TIMEOUT_S
        while self.network.pending and time.monotonic() < deadline:
            self.page.wait_for_timeout(25)  # lets Playwright deliver the protocol events

    def load(self, url: str) -> int:
        """Navigate cold to `url`, wait for every request to finish; the final HTTP status."""
        self.console_errors.clear()
        self.network.reset()
        response = self.page.goto(url, wait_until="load")
        self._wait_for_network_idle()
        return response.status if response is not None else 0

    def check(self, name: str, url: str, *, accessibility: bool = True) -> PageCheck:
        """Load `url` and measure it; `accessibility=False` skips axe (used for pages already
        checked, visited again only to read their links)."""
        result = PageCheck(self.role, name, path_of(url))
        result.status = self.load(url)
        result.final_path = path_of(self.page.url)
        dom_elements = int(self.page.evaluate(COUNT_DOM_ELEMENTS))
        size_kb = self.network.transferred_bytes / 1024
        result.ecoindex = compute_ecoindex(dom_elements, self.network.request_count, size_kb)
        result.foreign_requests = sorted(
            {u for u in self.network.urls.values() if urlsplit(u).hostname != ALLOWED_HOST}
        )
        result.links = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        result.unstyled_fields = list(self.page.evaluate(UNSTYLED_FIELDS))
        if accessibility:
            # Run after counting, through Playwright's evaluate: a <script> tag would be refused by the
            # page's Content-Security-Policy (no inline scripts), which is what the check wants to keep.
            self.page.evaluate(self.axe_script.read_text(encoding="utf-8"))
            result.violations = [v for v in self.page.evaluate(RUN_AXE) if v["impact"] in BLOCKING_IMPACTS]
        result.console_errors = list(self.console_errors)
        return result
