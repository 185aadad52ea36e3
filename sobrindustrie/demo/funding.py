"""The demo programme's funding work (Axe 3): catalogue, shortlists, applications, days, interviews.

Built on whatever actions the demo plans hold: for each action that needs funding, the best-ranked
schemes of the shipped catalogue are shortlisted, and applications are spread over the statuses of
the workflow (identified, in preparation, submitted, granted, refused, withdrawn, paid) so that the
grid and the synthesis show every case, one of them over the 6-day cap. Two interviews with funders
(ADEME's schemes, Région Sud) complete the one the meetings demo holds.

Idempotent: rows are matched on stable keys and saved only when something changed. Dates are fixed
in 2026 (the demo's clock is 28 November 2026); time entries after today's date are skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sobrindustrie.accounts.models import User
from sobrindustrie.actionplans.models import Action
from sobrindustrie.core.upsert import upsert
from sobrindustrie.funding.catalogue import load_default_catalogue
from sobrindustrie.funding.eligibility import evaluate
from sobrindustrie.funding.enums import ApplicationStatus as S
from sobrindustrie.funding.matching import NATURE_FIT, rank
from sobrindustrie.funding.models import (
    ApplicationDocument,
    ApplicationLog,
    FundingApplication,
    FundingScheme,
    Shortlist,
)
from sobrindustrie.funding.services import organisations_concerned
from sobrindustrie.meetings.enums import (
    Axis,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    MinutesStatus,
    TimeObjectKind,
)
from sobrindustrie.meetings.models import Meeting, Minutes, TimeEntry
from sobrindustrie.programmes.models import Programme

FUNDING_CONSULTANT = "sarah.benali@cap-sobriete.example"
ADEME_OFFICER = "claire.vasseur@ademe-paca.example"
DEMO_TODAY = dt.date(2026, 11, 28)
#: The order in which applications take statuses, so that a handful of them covers every status.
STATUS_CYCLE = (S.GRANTED, S.SUBMITTED, S.IN_PREPARATION, S.PAID, S.IDENTIFIED, S.REFUSED, S.WITHDRAWN)
#: How far each status went: the path of moves (for the log) from identified.
PATHS: dict[str, tuple[str, ...]] = {
    S.IDENTIFIED: (),
    S.IN_PREPARATION: (S.IN_PREPARATION,),
    S.SUBMITTED: (S.IN_PREPARATION, S.SUBMITTED),
    S.GRANTED: (S.IN_PREPARATION, S.SUBMITTED, S.GRANTED),
    S.REFUSED: (S.IN_PREPARATION, S.SUBMITTED, S.REFUSED),
    S.WITHDRAWN: (S.IN_PREPARATION, S.WITHDRAWN),
    S.PAID: (S.IN_PREPARATION, S.SUBMITTED, S.GRANTED, S.PAID),
}
LOG_COMMENTS = {
    S.IN_PREPARATION: "Devis et plan de financement demandés à l'entreprise.",
    S.SUBMITTED: "Dossier déposé sur la plateforme du financeur.",
    S.GRANTED: "Notification reçue.",
    S.REFUSED: "Projet jugé hors du périmètre de l'appel ; à représenter sur un autre dispositif.",
    S.WITHDRAWN: "L'entreprise préfère autofinancer cette tranche.",
    S.PAID: "Versement reçu.",
}
PER_ACTION = 3


@dataclass(frozen=True)
class InterviewSpec:
    title: str
    organiser: str
    day: str
    body: str


INTERVIEWS = (
    InterviewSpec(
        "Réunion ADEME : dispositifs de l'ADEME pour les plans d'action",
        "ADEME Provence-Alpes-Côte d'Azur",
        "2026-06-09",
        "# Dispositifs présentés\n"
        "- **Audit énergétique volontaire** et **étude de performance énergétique** pour les presses et fours.\n"
        "- Études et investissements de **réemploi et réparation** pour les rétrofits.\n"
        "- **Étude d'économie de la fonctionnalité** pour l'équipe outillage partagé.\n"
        "# Suites\n"
        "- Vérifier l'éligibilité de chaque entreprise sur la plateforme.\n"
        "- Déposer avant tout engagement de dépense (devis non signés).\n",
    ),
    InterviewSpec(
        "Entretien Région Sud : CEDRE et fonds européens",
        "Région Sud (PACA)",
        "2026-07-07",
        "# Points abordés\n"
        "- **CEDRE Investissement** pour les entreprises de la communauté CEDRE.\n"
        "- Appels à projets FEDER : calendrier à suivre, dépenses éligibles selon chaque appel.\n"
        "# Suites\n"
        "- Inscrire les PME intéressées dans la communauté CEDRE.\n",
    ),
)


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _euros(value: Decimal) -> Decimal:
    """Rounded to the hundred euros, as applications are written."""
    return (value / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 100


class _Demo:
    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.today = min(timezone.localdate(), DEMO_TODAY)
        self.consultant = User.objects.filter(email=FUNDING_CONSULTANT).first() or (
            programme.staff_members.filter(role="consultant").order_by("pk").first()
        )
        self.schemes = list(FundingScheme.objects.default_catalogue().order_by("title"))
        self.content_type = ContentType.objects.get_for_model(FundingApplication)

    def actions(self) -> list[Action]:
        return list(
            Action.objects.for_programme(self.programme)
            .filter(funding_need_eur__gt=0)
            .select_related("plan__team__programme", "lead_organisation")
            .order_by("plan__team__name", "position", "pk")
        )

    def candidates(self, action: Action) -> list[FundingScheme]:
        """The best-ranked schemes for the action; schemes of a fitting nature when none fits."""
        organisations = organisations_concerned(action)
        eligibility = evaluate(organisations, self.schemes, DEMO_TODAY)
        matching = rank(action, self.schemes, [eligibility[o.pk] for o in organisations], DEMO_TODAY)
        chosen = [match.scheme for match in matching.matches[:PER_ACTION]]
        fitting = NATURE_FIT.get(action.funding_nature, {})
        for scheme in self.schemes:
            if len(chosen) >= PER_ACTION:
                break
            if scheme.nature in fitting and scheme not in chosen:
                chosen.append(scheme)
        return chosen

    def shortlist(self, action: Action, schemes: list[FundingScheme]) -> None:
        for rank_index, scheme in enumerate(schemes, start=1):
            upsert(
                Shortlist,
                {"action": action, "scheme": scheme},
                {"note": f"Rang {rank_index} du classement pour cette action.", "added_by": self.consultant},
            )

    def application(
        self, action: Action, scheme: FundingScheme, status: str, index: int
    ) -> FundingApplication:
        start = _day("2026-03-02") + dt.timedelta(days=7 * (index % 10))
        submitted = start + dt.timedelta(days=35)
        decided = submitted + dt.timedelta(days=60)
        paid = decided + dt.timedelta(days=45)
        requested = _euros(action.funding_need_eur or Decimal(0)) or Decimal(5000)
        granted = _euros(requested * Decimal("0.8"))
        path = PATHS[status]
        values: dict[str, Any] = {
            "status": status,
            "reference": f"DEMO-{action.pk}-{scheme.pk}" if S.SUBMITTED in path else "",
            "amount_requested_eur": requested,
            "amount_granted_eur": granted if S.GRANTED in path else None,
            "amount_paid_eur": granted if status == S.PAID else None,
            "preparation_started_on": start if path else None,
            "submitted_on": submitted if S.SUBMITTED in path else None,
            "decision_on": decided if status in (S.GRANTED, S.REFUSED, S.PAID) else None,
            "paid_on": paid if status == S.PAID else None,
            "notes": "Dossier suivi par l'ingénierie financière du programme.",
            "created_by": self.consultant,
        }
        application, outcome = upsert(
            FundingApplication,
            {"action": action, "organisation": action.lead_organisation, "scheme": scheme},
            values,
        )
        if outcome == "created":
            self.log(application, path)
        return application

    def log(self, application: FundingApplication, path: tuple[str, ...]) -> None:
        ApplicationLog.objects.create(application=application, user=self.consultant, to_status=S.IDENTIFIED)
        previous = S.IDENTIFIED
        for target in path:
            ApplicationLog.objects.create(
                application=application,
                user=self.consultant,
                from_status=previous,
                to_status=target,
                comment=LOG_COMMENTS.get(target, ""),
            )
            previous = target

    def documents(self, application: FundingApplication) -> None:
        path = PATHS[application.status]
        wanted = []
        if S.SUBMITTED in path:
            wanted.append(("Dossier de candidature", "dossier-candidature.txt"))
        if S.GRANTED in path:
            wanted.append(("Lettre de notification", "notification.txt"))
        for title, name in wanted:
            if ApplicationDocument.objects.filter(application=application, title=title).exists():
                continue
            text = f"{title} — {application} (document de démonstration)\n"
            document = ApplicationDocument(application=application, title=title, uploaded_by=self.consultant)
            document.file.save(name, ContentFile(text.encode()), save=False)
            document.save()

    def days(self, application: FundingApplication, over_cap: bool) -> None:
        if self.consultant is None or not PATHS[application.status]:
            return
        start = application.preparation_started_on or _day("2026-03-02")
        spent = (
            [Decimal("1.5"), Decimal("2")] if not over_cap else [Decimal("3"), Decimal("2.5"), Decimal("1.5")]
        )
        for offset, days in enumerate(spent):
            day = start + dt.timedelta(days=7 * offset)
            if day > self.today:
                continue
            upsert(
                TimeEntry,
                {
                    "programme": self.programme,
                    "consultant": self.consultant,
                    "date": day,
                    "content_type": self.content_type,
                    "object_id": application.pk,
                },
                {
                    "days": days,
                    "axis": Axis.FUNDING,
                    "object_kind": TimeObjectKind.FUNDING_ORDER,
                    "description": f"Montage du dossier {application.scheme.title}",
                },
            )

    def interviews(self) -> None:
        funder = User.objects.filter(email=FUNDING_CONSULTANT).first()
        officer = User.objects.filter(email=ADEME_OFFICER).first()
        for spec in INTERVIEWS:
            start = timezone.make_aware(dt.datetime.combine(_day(spec.day), dt.time(10, 0)))
            if start > timezone.now():
                continue
            meeting, _ = upsert(
                Meeting,
                {"programme": self.programme, "title": spec.title},
                {
                    "kind": MeetingKind.FUNDER_INTERVIEW,
                    "starts_at": start,
                    "ends_at": start + dt.timedelta(hours=1, minutes=30),
                    "mode": MeetingMode.REMOTE,
                    "video_link": "https://visio.sobrindustrie.example/" + spec.day,
                    "status": MeetingStatus.HELD,
                    "organiser_name": spec.organiser,
                    "attended_by_consultant": True,
                    "created_by": funder,
                },
            )
            submitted = start + dt.timedelta(days=2)
            validated = start + dt.timedelta(days=5)
            upsert(
                Minutes,
                {"meeting": meeting},
                {
                    "body": spec.body,
                    "status": MinutesStatus.VALIDATED,
                    "first_submitted_at": submitted,
                    "submitted_at": submitted,
                    "validated_at": validated,
                    "validated_by": officer,
                },
            )


@transaction.atomic
def load(programme: Programme) -> None:
    """Create or refresh the funding area of the demo `programme` (idempotent)."""
    load_default_catalogue()
    demo = _Demo(programme)
    pairs = []
    for action in demo.actions():
        schemes = demo.candidates(action)
        demo.shortlist(action, schemes)
        pairs += [(action, scheme) for scheme in schemes]
    for index, (action, scheme) in enumerate(pairs):
        status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
        application = demo.application(action, scheme, status, index)
        demo.documents(application)
        demo.days(application, over_cap=index == 0)
    demo.interviews()
