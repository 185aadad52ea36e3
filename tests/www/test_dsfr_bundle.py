"""The trimmed DSFR bundle the pages load (scripts/build_dsfr_bundle.py).

It styles every DSFR class the templates use, it is exactly what the script makes of today's
templates (a template taking up a new component fails here until the bundle is rebuilt), it is much
lighter than the whole DSFR, its fonts and icons resolve, and production serves it compressed under
a hashed name cached for ever.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware


def _load_script() -> ModuleType:
    path = Path(settings.BASE_DIR) / "scripts" / "build_dsfr_bundle.py"
    spec = importlib.util.spec_from_file_location("build_dsfr_bundle", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


script = _load_script()

BUNDLE_CSS = script.OUTPUT_DIR / script.CSS_NAME
BUNDLE_JS = script.OUTPUT_DIR / script.JS_NAME
BUNDLE_CSS_STATIC = f"{script.BUNDLE_STATIC_DIR}/{script.CSS_NAME}"
WHOLE_DSFR = "dsfr/dist/dsfr"
# "Much smaller": the CSS bundle weighs at most this share of dsfr.main.min.css, raw and compressed.
MAX_CSS_SHARE = 0.7
YEAR = 365 * 24 * 3600

# Classes the templates use that the DSFR gives no style of its own, each with its reason.
NOT_STYLED_BY_DSFR = {
    # Part of the DSFR header's markup; its style hangs on .fr-header__body-row inside it.
    "fr-header__body",
    # Part of the DSFR side menu's markup; the current item is styled through aria-current.
    "fr-sidemenu__item--active",
    # The DSFR has no such modifier (primary is the default button); the tab bars write it opposite
    # fr-btn--secondary / fr-btn--tertiary for legibility.
    "fr-btn--primary",
    # Not DSFR classes, without effect (reported for the templates' owners to fix): the grid has no
    # auto-width column, there is no inline display helper.
    "fr-col-auto",
    "fr-col-md-auto",
    "fr-displayed-inline",
}


@pytest.fixture(scope="module")
def built() -> Any:
    return script.build()


@pytest.fixture(scope="module")
def committed_css() -> str:
    return BUNDLE_CSS.read_text(encoding="utf-8")


# --- The scan ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<a class="fr-btn fr-btn--secondary">', {"fr-btn", "fr-btn--secondary"}),
        (
            "<a class=\"fr-btn fr-btn--{% if current == 'plan' %}primary{% else %}secondary{% endif %}\">",
            {"fr-btn", "fr-btn--primary", "fr-btn--secondary"},
        ),
        (
            "<div class=\"fr-{% if kind == 'select' %}select{% else %}input{% endif %}-group"
            '{% if errors %} fr-input-group--error{% endif %}">',
            {"fr-select-group", "fr-input-group", "fr-input-group--error"},
        ),
        (
            '<div class="fr-fieldset{% if errors %} fr-fieldset--error{% endif %}">',
            {"fr-fieldset", "fr-fieldset--error"},
        ),
        (
            '<p class="fr-alert--{% if a %}error{% elif b %}warning{% endif %}">',
            {"fr-alert--error", "fr-alert--warning", "fr-alert--*"},
        ),
        ('<span class="fr-badge fr-badge--{{ row.badge }}">', {"fr-badge", "fr-badge--*"}),
        ('<html data-fr-scheme="light"><div data-fr-opened="false" lang="fr-FR">', set()),
        ('{# <p class="fr-callout"> #}{% comment %}<p class="fr-tile">{% endcomment %}', set()),
    ],
)
def test_the_scan_reads_classes_through_template_code(markup: str, expected: set[str]) -> None:
    assert script.classes_in_text(markup) == expected


def test_the_scan_reads_python_strings_but_not_docstrings() -> None:
    source = '''
"""Badges: fr-callout is mentioned here, in prose."""
COLOURS = {"late": "fr-badge--error"}
def indent(depth):
    """Indent with fr-tile."""
    return f"fr-ml-{depth * 3}w"
'''
    assert script.classes_in_python(source) == {"fr-badge--error", "fr-ml-*w"}


# --- The bundle -------------------------------------------------------------------------------------


def test_every_dsfr_class_the_templates_use_is_in_the_bundle(committed_css: str) -> None:
    used = script.used_classes()
    styled = script.classes_of(script.parse_css(committed_css))
    missing = script.unstyled(used, styled) - NOT_STYLED_BY_DSFR
    report = "\n".join(
        f"  {name}: {', '.join(sorted(str(path.relative_to(settings.BASE_DIR)) for path in used[name]))}"
        for name in sorted(missing)
    )
    assert not missing, f"classes the bundle does not style:\n{report}"
    assert not NOT_STYLED_BY_DSFR - used.keys(), "no longer used: remove them from NOT_STYLED_BY_DSFR"


def test_the_committed_bundle_is_what_the_script_builds_today(built: Any, committed_css: str) -> None:
    hint = "the templates changed: run .venv/bin/python scripts/build_dsfr_bundle.py and commit its output"
    assert committed_css == built.css, hint
    assert BUNDLE_JS.read_text(encoding="utf-8") == built.js, hint


def _weights(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(brotli.compress(data))


def test_the_bundle_is_much_smaller_than_the_whole_dsfr() -> None:
    whole_css = Path(finders.find(f"{WHOLE_DSFR}/dsfr.main.min.css"))
    whole_js = Path(finders.find(f"{WHOLE_DSFR}/dsfr.module.min.js"))
    (css_raw, css_br), (whole_raw, whole_br) = _weights(BUNDLE_CSS), _weights(whole_css)
    message = (
        f"CSS {css_raw:,} / {whole_raw:,} bytes = {css_raw / whole_raw:.2f} raw, "
        f"{css_br:,} / {whole_br:,} = {css_br / whole_br:.2f} brotli"
    )
    assert css_raw / whole_raw <= MAX_CSS_SHARE, message
    assert css_br / whole_br <= MAX_CSS_SHARE, message
    (js_raw, js_br), (whole_js_raw, whole_js_br) = _weights(BUNDLE_JS), _weights(whole_js)
    message = f"JS {js_raw:,} / {whole_js_raw:,} bytes raw, {js_br:,} / {whole_js_br:,} brotli"
    assert js_raw < whole_js_raw and js_br < whole_js_br, message


def test_the_fonts_and_icons_of_the_bundle_resolve(committed_css: str) -> None:
    targets = script.url_targets(committed_css)
    assert any(target.endswith(".woff2") for target in targets)
    assert not [target for target in sorted(targets) if finders.find(target) is None]


def test_the_javascript_loads_the_core_first(committed_css: str) -> None:
    parts = re.findall(r"^/\* (\S+) \*/$", BUNDLE_JS.read_text(encoding="utf-8"), re.MULTILINE)
    assert parts[0] == "core"
    assert re.findall(r"^/\* (\S+) \*/$", committed_css, re.MULTILINE)[0] == "core"


def test_pages_load_the_bundle_not_the_whole_dsfr(db: object) -> None:
    page = Client().get("/connexion/").content.decode()
    assert f'href="{settings.STATIC_URL}{BUNDLE_CSS_STATIC}"' in page
    assert f'src="{settings.STATIC_URL}{script.BUNDLE_STATIC_DIR}/{script.JS_NAME}"' in page
    assert "dsfr.main.min.css" not in page
    assert "dsfr.module.min.js" not in page


# --- Compression and caching in production ----------------------------------------------------------


def _production_static_settings(tmp_path: Path) -> dict[str, Any]:
    """The static-file settings as a production process computes them (DEBUG off, outside pytest)."""
    code = (
        "import json; from config import settings as s; print(json.dumps({"
        "'STORAGE': s.STORAGES['staticfiles']['BACKEND'], 'MIDDLEWARE': s.MIDDLEWARE,"
        "'WHITENOISE_MAX_AGE': s.WHITENOISE_MAX_AGE, 'WHITENOISE_USE_FINDERS': s.WHITENOISE_USE_FINDERS,"
        "'WHITENOISE_AUTOREFRESH': s.WHITENOISE_AUTOREFRESH}))"
    )
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update(
        DEBUG="false",
        SECRET_KEY="production-like-" + "x" * 50,
        SITE_URL="https://sobrindustrie.example",
        SOBRINDUSTRIE_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def _copy_with_targets(css_path: Path, source: Path) -> None:
    """Lay the bundle and the package files its url(...) name out in source, as STATIC_URL sees them."""
    bundle = source / BUNDLE_CSS_STATIC
    bundle.parent.mkdir(parents=True)
    shutil.copyfile(css_path, bundle)
    for target in script.url_targets(css_path.read_text(encoding="utf-8")):
        (source / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(finders.find(target), source / target)


def test_production_serves_the_bundle_compressed_and_cached_for_ever(tmp_path: Path, settings: Any) -> None:
    production = _production_static_settings(tmp_path)
    middleware = production["MIDDLEWARE"]
    # Static files are answered before sessions, authentication and the like are even looked at.
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    source = tmp_path / "source"
    _copy_with_targets(BUNDLE_CSS, source)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": production["STORAGE"]}}
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    for name in ("WHITENOISE_MAX_AGE", "WHITENOISE_USE_FINDERS", "WHITENOISE_AUTOREFRESH"):
        setattr(settings, name, production[name])
    # The manifest storage refuses a url(...) it cannot resolve: this run also checks them all.
    call_command("collectstatic", "--noinput", verbosity=0)

    serve = WhiteNoiseMiddleware(get_response=lambda request: HttpResponse(status=404))
    hashed_url = staticfiles_storage.url(BUNDLE_CSS_STATIC)
    assert hashed_url != f"{settings.STATIC_URL}{BUNDLE_CSS_STATIC}"
    status, headers = _fetch(serve, hashed_url, "br, gzip")
    assert status == 200
    assert headers["Content-Encoding"] == "br"
    assert "immutable" in headers["Cache-Control"] and "public" in headers["Cache-Control"], headers
    assert _max_age(headers) >= YEAR, headers
    assert _fetch(serve, hashed_url, "gzip")[1]["Content-Encoding"] == "gzip"

    # A name without hash may change at the next release: it is not cached for long.
    status, headers = _fetch(serve, f"{settings.STATIC_URL}{BUNDLE_CSS_STATIC}", "br")
    assert status == 200
    assert "immutable" not in headers["Cache-Control"]
    assert _max_age(headers) <= 3600, headers


def _fetch(serve: WhiteNoiseMiddleware, url: str, accept_encoding: str) -> tuple[int, dict[str, str]]:
    response = serve(RequestFactory().get(url, headers={"accept-encoding": accept_encoding}))
    # WhiteNoise answers with an open file (response.close() would also signal request_finished).
    response.file_to_stream.close()
    return response.status_code, dict(response.items())


def _max_age(headers: dict[str, str]) -> int:
    found = re.search(r"max-age=(\d+)", headers["Cache-Control"])
    assert found, headers
    return int(found[1])
