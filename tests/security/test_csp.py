"""The Content-Security-Policy: on every response, and no template that would need it loosened.

The policy allows scripts and styles from the site only: an inline <script>, an event-handler
attribute (onclick=…), an inline style, or htmx code evaluated from an attribute (hx-on, hx-vars,
js: values, trigger filters) would be refused by the browser. The template scan below finds them
before a browser does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import World

EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

PACKAGE = Path(settings.BASE_DIR) / "sobrindustrie"
TEMPLATES = sorted(
    path for pattern in ("*/templates/**/*.html", "*/templates/**/*.svg") for path in PACKAGE.glob(pattern)
)
# Rendered to PDF by WeasyPrint, never sent to a browser: their <style> blocks meet no policy.
PDF_ONLY = {
    "www/meetings/badges.html",
}

TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
HANDLER = re.compile(r"<[a-zA-Z][^<>]*?\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"=\s*[\"']?\s*javascript:", re.IGNORECASE)
HTMX_EVAL = re.compile(
    r"\b(?:data-)?hx-on\b|\b(?:data-)?hx-vars\b"  # code in an attribute
    r"|\bhx-vals\s*=\s*[\"']\s*(?:js|javascript):"  # a computed value
    r"|\bhx-trigger\s*=\s*\"[^\"]*\[|\bhx-trigger\s*=\s*'[^']*\[",  # an event filter, e.g. keyup[key=='Enter']
    re.IGNORECASE,
)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^<>]*?\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


# (role, page, expected status); pages with arguments take them from the world.
PAGES = [
    ("anonymous", "www:login", 200),
    ("anonymous", "www:home", 302),  # the login redirect
    ("anonymous", "www:showcase_index", 200),
    ("consultant", "www:home", 200),
    ("anonymous", "www:accessibility", 200),
    ("consultant", "www:programme_dashboard", 200),
    ("sme", "www:inventory", 200),
    ("partner", "www:site_map", 200),
    ("consultant", "api:openapi-json", 200),
]


def _url(world: World, name: str) -> str:
    arguments = {"www:programme_dashboard": [world.programme.slug], "www:inventory": [world.sme_org.pk]}  # type: ignore[attr-defined]
    return reverse(name, args=arguments.get(name, []))


@pytest.mark.parametrize("role,url_name,status", PAGES)
def test_responses_carry_the_policy(world: World, role: str, url_name: str, status: int) -> None:
    response = world.client(role).get(_url(world, url_name))
    assert response.status_code == status
    assert _policy(response["Content-Security-Policy"]) == EXPECTED_POLICY


def test_a_not_found_answer_carries_the_policy_too(world: World) -> None:
    response = world.client("sme").get("/no-such-page/")
    assert response.status_code == 404
    assert _policy(response["Content-Security-Policy"]) == EXPECTED_POLICY


def test_the_policy_never_allows_inline_code_or_eval() -> None:
    sources = [source for values in EXPECTED_POLICY.values() for source in values]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"} & set(sources)


def test_htmx_is_told_not_to_inject_styles_nor_evaluate_code(world: World) -> None:
    page = world.client("consultant").get(_url(world, "www:programme_dashboard")).content.decode()
    found = re.search(r"<meta name=\"htmx-config\"\s+content='([^']*)'", page)
    assert found, 'base.html must configure htmx through <meta name="htmx-config">'
    config = json.loads(found.group(1))
    assert config == {"includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False}


def test_the_server_error_page_has_its_styles_in_a_file() -> None:
    assert finders.find("www/error.css") is not None
    text = (PACKAGE / "www" / "templates" / "500.html").read_text(encoding="utf-8")
    assert "www/error.css" in text


def _markup(path: Path) -> str:
    """The template's HTML, without template comments and with template code blanked out (a
    `{% with on_site=… %}` is not an attribute)."""
    text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
    return TEMPLATE_CODE.sub(" ", text)


def _offences(markup: str, pdf_only: bool) -> list[str]:
    found = []
    for attributes, body in SCRIPT.findall(markup):
        if not re.search(r"\ssrc\s*=", attributes) or body.strip():
            found.append("inline <script>")
    found += [f"event handler {m.group(0)[-12:]!r}" for m in HANDLER.finditer(markup)]
    found += [f"javascript: URL {m.group(0)!r}" for m in JAVASCRIPT_URL.finditer(markup)]
    found += [f"htmx evaluates {m.group(0)!r}" for m in HTMX_EVAL.finditer(markup)]
    if not pdf_only:
        found += ["style attribute" for _ in STYLE_ATTRIBUTE.finditer(markup)]
        found += ["<style> element" for _ in STYLE_ELEMENT.finditer(markup)]
    return found


def _name(path: Path) -> str:
    return path.as_posix().split("/templates/", 1)[1]


def test_templates_hold_no_inline_script_handler_or_style() -> None:
    assert len(TEMPLATES) > 100, "the template folders were not found"
    offences = {}
    for path in TEMPLATES:
        found = _offences(_markup(path), pdf_only=_name(path) in PDF_ONLY)
        if found:
            offences[_name(path)] = found
    assert offences == {}


def test_the_pdf_only_templates_exist() -> None:
    assert {_name(path) for path in TEMPLATES} >= PDF_ONLY


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">import "x"</script>',
        '<script src="/static/a.js">alert(1)</script>',
        '<button type="button" onclick="go()">Go</button>',
        '<body\n  onload="init()">',
        '<a href="javascript:void(0)">x</a>',
        '<form hx-on:submit="reset()">',
        '<div hx-on="htmx:afterSwap: x()">',
        '<div data-hx-on--after-request="x()">',
        "<div hx-vars='{\"a\": b}'>",
        "<div hx-vals='js:{a: b()}'>",
        "<input hx-trigger=\"keyup[key=='Enter']\">",
        '<p style="color: red">',
        "<style>p { color: red }</style>",
    ],
)
def test_the_scan_finds_each_kind_of_inline_code(snippet: str) -> None:
    """The scan itself, on what it must refuse (a scan that finds nothing proves nothing)."""
    assert _offences(snippet, pdf_only=False)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'vendor/htmx/htmx.min.js' %}\" defer></script>",
        '<input hx-trigger="change, keyup delay:400ms from:#id_q" hx-vals=\'{"question": "3"}\'>',
        '<button hx-confirm="Supprimer ?" aria-controls="menu">',
        "{% with actions=note.actions.all only=1 %}<p>{{ x }}</p>{% endwith %}",
        "{# <script>alert(1)</script> #}",
    ],
)
def test_the_scan_lets_external_scripts_and_plain_htmx_through(snippet: str) -> None:
    markup = TEMPLATE_CODE.sub(" ", TEMPLATE_COMMENT.sub("", snippet))
    assert _offences(markup, pdf_only=False) == []
