"""Every widget of every form of the project carries its DSFR class (an unstyled input is invisible:
DSFR resets the browser's borders), whatever the form: the class is added where widgets render."""

from __future__ import annotations

import importlib
import pkgutil
from html.parser import HTMLParser

import pytest
from django import forms

import sobrindustrie

#: Input types DSFR styles through the group around them, or that show nothing.
UNSTYLED_TYPES = {"hidden", "checkbox", "radio", "submit", "button", "image", "reset"}


class WidgetParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.unstyled: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "input" and (values.get("type") or "text") not in UNSTYLED_TYPES or tag == "textarea":
            expected = "fr-input"
        elif tag == "select":
            expected = "fr-select"
        else:
            return
        if expected not in classes:
            self.unstyled.append(f"<{tag} name={values.get('name')!r} class={values.get('class')!r}>")


def unstyled(html: str) -> list[str]:
    parser = WidgetParser()
    parser.feed(html)
    return parser.unstyled


def _project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(sobrindustrie.__path__, "sobrindustrie."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "views", "public"} or "_views" in module.name:
            importlib.import_module(module.name)
    found: set[type[forms.BaseForm]] = set()
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("sobrindustrie."):
                found.add(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORMS = _project_forms()


def test_the_walk_finds_the_project_forms() -> None:
    names = {cls.__name__ for cls in FORMS}
    assert {"EmailAuthenticationForm", "SearchForm"} <= names
    assert len(FORMS) > 40


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_widget_of_the_form_carries_its_dsfr_class(form_class: type[forms.BaseForm]) -> None:
    # Each declared field as the form declares it; forms whose constructor needs arguments are
    # rendered field by field through the same renderer.
    html = []
    for name, field in form_class.base_fields.items():
        html.append(field.widget.render(name, field.initial, attrs=field.widget_attrs(field.widget)))
    assert unstyled("".join(html)) == []


@pytest.mark.django_db
def test_the_login_page_inputs_are_visible(client: object) -> None:
    page = client.get("/connexion/").content.decode()  # type: ignore[attr-defined]
    assert 'name="username"' in page and 'name="password"' in page
    assert unstyled(page) == []


def test_the_parser_catches_an_unstyled_widget() -> None:
    assert unstyled('<input type="password" name="p"><select name="s" class="fr-select"></select>') == [
        "<input name='p' class=None>"
    ]
    assert unstyled('<input type="checkbox" name="c"><textarea class="fr-input"></textarea>') == []


class _Select(forms.Form):
    single = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("a&b", "Fraisage <CN>"),
            (3, "Tôlerie"),
            ("Groupe", [("x", 'X "1"'), ("y", "Y")]),
        ]
    )
    several = forms.MultipleChoiceField(
        choices=[(str(n), f"Choix {n}") for n in range(40)], widget=forms.SelectMultiple(attrs={"size": 10})
    )
    flagged = forms.ChoiceField(choices=[("1", "Un")], disabled=True, required=False)


def _normalised(html: str) -> str:
    return "".join(line.strip() for line in html.splitlines())


@pytest.mark.parametrize("data", [None, {"single": "3", "several": ["2", "39"]}, {"single": "y"}])
def test_selects_written_in_python_are_those_of_django_s_templates(data: dict[str, object] | None) -> None:
    """`DsfrFormRenderer` writes a select's options in Python (one template per option made long
    lists the main cost of the pages that carry them): the HTML is the one Django's templates give,
    escaping, selection, groups and attributes included."""
    from django.forms.renderers import DjangoTemplates

    from sobrindustrie.www.forms import DsfrFormRenderer

    ours = _Select(data, renderer=DsfrFormRenderer())
    django_s = _Select(data, renderer=DsfrFormRenderer())

    class TemplatesOnly(DsfrFormRenderer):
        def render(self, template_name, context, request=None):  # type: ignore[no-untyped-def]
            widget = context.get("widget")
            if isinstance(widget, dict):
                from sobrindustrie.www.forms import _add_class

                _add_class(widget, template_name)
            return DjangoTemplates.render(self, template_name, context, request)

    django_s.renderer = TemplatesOnly()
    for name in ("single", "several", "flagged"):
        written = str(ours[name])
        assert "<option" in written and 'class="fr-select"' in written
        assert _normalised(written) == _normalised(str(django_s[name]))
    assert "Fraisage &lt;CN&gt;" in str(ours["single"]) and 'value="a&amp;b"' in str(ours["single"])
