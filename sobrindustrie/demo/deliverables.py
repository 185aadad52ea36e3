"""The demo programme's deliverables registry: the syntheses the consultant writes for the reports.

Files are generated while loading for one deliverable only, the M6 report, which the consultant
submitted on 17 April 2026 and ADEME validated: its submitted version is frozen in the registry, which
the obligations page reads. The others are for the registry page and `sobrindustrie deliverables
build`. The narrative parts that only a person can write are: the M6 and M12 reports' syntheses
validated by a COPIL, the working draft of the final report's methods, and the recommendations to
ADEME of the synthesis report (L4.3).

The submitted M6 agrees with its figures (twelve diagnostics of fifteen, five teams) and was validated
by the COPIL held in the last week of its period. The M12 draft is left as a consultant would have it
before the checks before submission: it names the mid-term COPIL of June (four months before its
period ended) and says two funding applications were filed where the records count many more; the
final report's draft has only its methods. The checks fire on both (see `deliverables/checks.py`).

Idempotent: rows are matched on (programme, code) and saved only when a value changed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sobrindustrie.accounts.enums import Role
from sobrindustrie.core.upsert import upsert
from sobrindustrie.deliverables.enums import DeliverableStatus
from sobrindustrie.deliverables.models import Deliverable
from sobrindustrie.deliverables.services import generate
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.programmes.models import Programme

M6_SUCCESSES = """Douze des quinze diagnostics individuels ont été réalisés dans la limite de cinq jours par PME ; les trois autres sont reportés au printemps.
L'atelier 1 a réuni 14 des 15 lauréats ; deux thèmes de webinaire ont été retenus.
Cinq équipes projet ont été constituées à l'atelier 2, complétées par des structures extérieures."""
M6_DIFFICULTIES = """Disponibilité des dirigeants pendant la période de clôture comptable.
Données de consommation énergétique des machines souvent absentes."""
M6_SOLUTIONS = """Entretiens de diagnostic scindés en deux demi-journées.
Relevés de consommation par pince ampèremétrique prêtés aux PME pendant une semaine."""
M12_SUCCESSES = """Trois réunions de suivi par équipe tenues ; premières actions de mutualisation engagées.
Deux dossiers de financement déposés auprès de la Région Sud et de l'ADEME."""
M12_DIFFICULTIES = """Délais d'instruction des aides plus longs que le calendrier des actions.
Un partenaire extérieur s'est retiré d'une équipe."""
M12_SOLUTIONS = """Actions phasées pour démarrer sans attendre la décision de financement.
Prospection d'un nouveau partenaire avec la grille de suivi des contacts (L1.6)."""
FINAL_METHODS = """Diagnostics individuels selon la méthode low-tech de l'ADEME adaptée et validée par le COPIL.
Analyse des coopérations possibles et formation des équipes par optimisation sous contraintes.
Suivi des plans d'action en réunions d'équipe et sessions collectives ; évaluation Empreinte Projet niveau 1."""
L43_DIFFICULTIES = """Mobiliser les PME entre deux périodes de forte charge.
Quantifier les gains environnementaux sans données de référence."""
L43_RECOMMENDATIONS = """Prévoir dès l'appel à manifestation d'intérêt un relevé des consommations des machines.
Allonger à six mois la phase de suivi des plans d'action avant l'évaluation.
Mutualiser les webinaires entre régions pour les thèmes communs."""


def _copil_before(programme: Programme, day: dt.date) -> Meeting | None:
    return (
        Meeting.objects.filter(programme=programme, kind=MeetingKind.COPIL, starts_at__date__lte=day)
        .order_by("-starts_at")
        .first()
    )


def load(programme: Programme) -> None:
    m6_copil = _copil_before(programme, dt.date(2026, 4, 20))
    m12_copil = _copil_before(programme, dt.date(2026, 10, 20))
    rows = {
        "REPORT_M6": {
            "successes": M6_SUCCESSES,
            "difficulties": M6_DIFFICULTIES,
            "solutions": M6_SOLUTIONS,
            "copil_meeting": m6_copil,
        },
        "REPORT_M12": {
            "successes": M12_SUCCESSES,
            "difficulties": M12_DIFFICULTIES,
            "solutions": M12_SOLUTIONS,
            "copil_meeting": m12_copil,
        },
        "REPORT_FINAL": {"methods": FINAL_METHODS},
        "L4.3": {"difficulties": L43_DIFFICULTIES, "recommendations": L43_RECOMMENDATIONS},
    }
    for code, values in rows.items():
        upsert(Deliverable, {"programme": programme, "code": code}, values)
    _deliver_m6(programme)


M6_SUBMITTED_ON = dt.date(2026, 4, 17)
M6_VALIDATED_ON = dt.date(2026, 5, 5)


def _deliver_m6(programme: Programme) -> None:
    """Generate the M6 report as of its submission day, once, and record its submission and validation."""
    if timezone.localdate() < M6_SUBMITTED_ON:
        return
    row = Deliverable.objects.get(programme=programme, code="REPORT_M6")
    consultant = programme.staff_members.filter(role=Role.CONSULTANT).order_by("pk").first()
    officer = programme.staff_members.filter(role=Role.ADEME).order_by("pk").first()
    version = row.submitted_version
    if version is None:
        when = timezone.make_aware(dt.datetime.combine(M6_SUBMITTED_ON, dt.time.min))
        version = generate(programme, "REPORT_M6", consultant, now=when).version
    values = {
        "status": DeliverableStatus.SUBMITTED,
        "submitted_on": M6_SUBMITTED_ON,
        "submitted_by": consultant,
        "submitted_version": version,
        "submission_note": "Livrables de l'axe 1 et synthèse validée en COPIL.",
    }
    if timezone.localdate() >= M6_VALIDATED_ON:
        values |= {
            "status": DeliverableStatus.VALIDATED,
            "validated_on": M6_VALIDATED_ON,
            "validated_by": officer,
        }
    upsert(Deliverable, {"programme": programme, "code": "REPORT_M6"}, values)
