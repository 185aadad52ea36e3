"""Answers save as they are typed (HTMX), typed by kind, and a wrong value is refused with a message."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from sobrindustrie.diagnostics.models import Answer, MeansObservation
from tests.diagnostics.conftest import Diagnostics, english_client


def _save(client: Any, diagnostics: Diagnostics, question: str, value: str, means: str = "") -> Any:
    key = f"{question}-{means}" if means else question
    return client.post(
        reverse("www:diagnostic_answer", args=[diagnostics.diagnostic.pk]),
        {"question": question, "means": means, f"a-{key}": value, "a-other_question": "ignored"},
        HTTP_HX_REQUEST="true",
    )


def _value(diagnostics: Diagnostics, question: str) -> Any:
    return Answer.objects.get(diagnostic=diagnostics.diagnostic, question_id=question).value


def test_answers_are_typed_by_kind(diagnostics: Diagnostics) -> None:
    client = english_client(diagnostics.world, "consultant")
    response = _save(client, diagnostics, "ctx_energy_tracking", "yes")
    assert response.status_code == 200
    assert 'id="status-ctx_energy_tracking"' in response.content.decode()
    assert "Saved" in response.content.decode()
    assert _value(diagnostics, "ctx_energy_tracking") is True
    _save(client, diagnostics, "ctx_energy_bill", "95 000,50")
    assert _value(diagnostics, "ctx_energy_bill") == 95000.5
    _save(client, diagnostics, "use_shifts", "2")
    assert _value(diagnostics, "use_shifts") == 2
    _save(client, diagnostics, "ctx_decision", "comite")
    assert _value(diagnostics, "ctx_decision") == "comite"
    _save(client, diagnostics, "ctx_main_issue", "Réduire la facture")
    assert _value(diagnostics, "ctx_main_issue") == "Réduire la facture"
    assert (
        Answer.objects.filter(diagnostic=diagnostics.diagnostic).count() == 5
    )  # the other field was ignored


def test_a_wrong_value_is_refused_and_nothing_saved(diagnostics: Diagnostics) -> None:
    client = english_client(diagnostics.world, "consultant")
    response = _save(client, diagnostics, "use_shifts", "quatre")
    assert "Enter a number" in response.content.decode() and "fr-error-text" in response.content.decode()
    response = _save(client, diagnostics, "use_shifts", "5")
    assert "between 1 and 3" in response.content.decode()
    response = _save(client, diagnostics, "ctx_decision", "dictature")
    assert "Pick one of the proposed answers" in response.content.decode()
    assert not Answer.objects.filter(diagnostic=diagnostics.diagnostic).exists()


def test_emptying_a_field_removes_the_answer_and_saving_the_same_value_twice_writes_once(
    diagnostics: Diagnostics,
) -> None:
    client = english_client(diagnostics.world, "consultant")
    _save(client, diagnostics, "ctx_energy_bill", "1000")
    _save(client, diagnostics, "ctx_energy_bill", "1000,0")
    assert Answer.history.filter(question_id="ctx_energy_bill").count() == 1
    _save(client, diagnostics, "ctx_energy_bill", "")
    assert not Answer.objects.filter(question_id="ctx_energy_bill").exists()


def test_per_means_answers(diagnostics: Diagnostics) -> None:
    client = english_client(diagnostics.world, "consultant")
    means = diagnostics.world.sme_org.production_means.first()
    _save(client, diagnostics, "pm_open_to_sharing", "yes", str(means.pk))
    answer = Answer.objects.get(question_id="pm_open_to_sharing")
    assert answer.production_means == means and answer.value is True
    other_company_means = diagnostics.world.other_sme_org.production_means.create(
        category="cutting.laser", name="Laser voisin"
    )
    response = _save(client, diagnostics, "pm_open_to_sharing", "yes", str(other_company_means.pk))
    assert "Choose a production means of the company" in response.content.decode()
    assert Answer.objects.count() == 1


def test_an_unknown_question_is_not_found(diagnostics: Diagnostics) -> None:
    assert (
        _save(english_client(diagnostics.world, "consultant"), diagnostics, "nope", "yes").status_code == 404
    )


def test_questions_shown_on_an_answer_come_back_with_it(diagnostics: Diagnostics) -> None:
    client = english_client(diagnostics.world, "consultant")
    section = reverse("www:diagnostic_section", args=[diagnostics.diagnostic.pk, "acquisition"])
    page = client.get(section).content.decode()
    assert re.search(r'id="q-acq_budget"\s+class="fr-mb-3w"\s+hidden', page)
    response = _save(client, diagnostics, "acq_planned", "yes").content.decode()
    assert 'id="q-acq_budget"' in response and 'hx-swap-oob="true"' in response
    assert "hidden" not in response.split('id="q-acq_budget"')[1].split(">")[0]


def test_the_questionnaire_resumes_with_the_saved_answers(diagnostics: Diagnostics) -> None:
    client = english_client(diagnostics.world, "consultant")
    _save(client, diagnostics, "use_idle_off", "jamais")
    page = client.get(
        reverse("www:diagnostic_section", args=[diagnostics.diagnostic.pk, "utilisation"])
    ).content.decode()
    assert re.search(r'<option value="jamais"\s+selected>', page)
    assert 'hx-trigger="change"' in page and 'name="viewport"' in page


def test_the_section_saves_without_javascript_and_keeps_what_was_typed(diagnostics: Diagnostics) -> None:
    client = english_client(diagnostics.world, "consultant")
    url = reverse("www:diagnostic_section", args=[diagnostics.diagnostic.pk, "contexte"])
    response = client.post(url, {"a-ctx_energy_tracking": "no", "a-ctx_energy_bill": "beaucoup"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a number" in page and 'value="beaucoup"' in page
    assert _value(diagnostics, "ctx_energy_tracking") is False
    assert not Answer.objects.filter(question_id="ctx_energy_bill").exists()


def test_companies_read_their_answers_but_do_not_write_them(diagnostics: Diagnostics) -> None:
    consultant = english_client(diagnostics.world, "consultant")
    _save(consultant, diagnostics, "ctx_energy_tracking", "yes")
    sme = english_client(diagnostics.world, "sme")
    page = sme.get(
        reverse("www:diagnostic_section", args=[diagnostics.diagnostic.pk, "contexte"])
    ).content.decode()
    assert "hx-post" not in page and "<p>Yes</p>" in page
    assert _save(sme, diagnostics, "ctx_energy_tracking", "no").status_code == 404


def test_observations_save_as_typed(diagnostics: Diagnostics) -> None:
    client = english_client(diagnostics.world, "consultant")
    means = diagnostics.world.sme_org.production_means.first()
    url = reverse("www:diagnostic_observations", args=[diagnostics.diagnostic.pk])
    prefix = f"m{means.pk}"
    data = {
        "means": means.pk,
        f"{prefix}-observed_utilisation_rate": "15",
        f"{prefix}-observed_condition": "poor",
        f"{prefix}-retrofit_potential": "high",
    }
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert "Saved" in response.content.decode()
    observation = MeansObservation.objects.get(production_means=means)
    assert observation.observed_utilisation_rate == 15 and observation.retrofit_potential == "high"
    data[f"{prefix}-observed_utilisation_rate"] = "140"
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert (
        "Real utilisation rate (%) : Ensure this value is less than or equal to 100."
        in response.content.decode()
    )
    observation.refresh_from_db()
    assert observation.observed_utilisation_rate == 15
