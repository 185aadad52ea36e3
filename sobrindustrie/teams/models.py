"""Project teams: laureate SMEs and outside structures working together on one theme.

Membership is dated: leaving a team closes the membership instead of deleting it, so past
contributions stay attributed and the team's history can be read at any date. The same holds for the
partners' committee. Prospecting an outside structure keeps every contact made, so the contact-tracking
grid (deliverable L1.6) is a plain read of these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.core.enums import Solution
from sobrindustrie.core.models import TimeStampedModel, VersionedModel
from sobrindustrie.organisations.enums import OrganisationKind
from sobrindustrie.teams.enums import (
    ContactChannel,
    MemberRole,
    ProspectStatus,
    SoughtContribution,
    SubgroupWork,
    TeamStatus,
)
from sobrindustrie.teams.querysets import (
    CommitteeMemberQuerySet,
    CommitteeSubgroupQuerySet,
    MembershipQuerySet,
    ProjectTeamQuerySet,
    ProspectContactQuerySet,
    ProspectQuerySet,
)


def _not_in_future(value: object, field: str, message: str) -> dict[str, str]:
    if value is not None and value > timezone.localdate():  # type: ignore[operator]
        return {field: message}
    return {}


class ProjectTeam(VersionedModel):
    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=150)
    theme = models.CharField(_("theme (main solution)"), max_length=30, choices=Solution.choices)
    objectives = models.TextField(_("objectives"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TeamStatus.choices, default=TeamStatus.FORMING
    )
    source = models.CharField(
        _("created from"),
        max_length=200,
        blank=True,
        help_text=_("The team-formation scenario it was adopted from, if any."),
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ProjectTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("project team")
        verbose_name_plural = _("project teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("www:team_detail", args=[self.pk])

    def validate_constraints(self, exclude: object = None) -> None:
        # Say which name is taken, rather than Django's generic "constraint violated" message.
        if (
            self.programme_id
            and type(self)
            .objects.filter(programme_id=self.programme_id, name__iexact=self.name)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"name": _("A team named “%s” already exists in this programme.") % self.name}
            )
        super().validate_constraints(exclude=exclude)  # type: ignore[arg-type]


class TeamMembership(TimeStampedModel):
    team = models.ForeignKey(
        ProjectTeam, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    people = models.ManyToManyField("organisations.Person", verbose_name=_("people"), blank=True)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "-role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "organisation"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_current_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.team}"

    def clean(self) -> None:
        super().clean()
        errors = {
            **_not_in_future(self.joined_on, "joined_on", _("A membership cannot start in the future.")),
            **_not_in_future(self.left_on, "left_on", _("A departure cannot be dated in the future.")),
        }
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = _("A member cannot leave before joining.")
        if self.team_id and self.organisation_id and self.team.programme_id != self.organisation.programme_id:
            errors["organisation"] = _("This organisation belongs to another programme.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class Prospect(VersionedModel):
    """An outside structure a team seeks to complete it, and where its prospecting stands."""

    team = models.ForeignKey(
        ProjectTeam, verbose_name=_("team"), on_delete=models.PROTECT, related_name="prospects"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="prospections",
    )
    sought = models.CharField(_("sought for"), max_length=20, choices=SoughtContribution.choices)
    reason = models.TextField(
        _("why it is sought"), help_text=_("The capacity or skill the team lacks, and what showed it.")
    )
    solution = models.CharField(_("solution concerned"), max_length=30, choices=Solution.choices, blank=True)
    contact_person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("contact person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProspectStatus.choices, default=ProspectStatus.TO_CONTACT
    )
    next_step = models.CharField(_("next step"), max_length=250, blank=True)
    next_step_due = models.DateField(_("next step due on"), null=True, blank=True)
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Receives the reminder when the next step falls due."),
    )
    reminder_sent_for = models.DateField(
        _("reminder sent for the step due on"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ProspectQuerySet.as_manager()

    class Meta:
        verbose_name = _("prospected structure")
        verbose_name_plural = _("prospected structures")
        ordering = ["team", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "organisation"], name="prospect_once_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.team}"

    def get_absolute_url(self) -> str:
        return reverse("www:prospect_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.team_id and self.organisation_id:
            organisation = self.organisation
            if organisation.programme_id != self.team.programme_id:
                errors["organisation"] = _("This organisation belongs to another programme.")
            elif organisation.kind == OrganisationKind.LAUREATE_SME:
                errors["organisation"] = (
                    _(
                        "%s is a laureate SME: add it to the team as a member; prospecting is for outside structures."
                    )
                    % organisation
                )
        if self.contact_person_id and self.contact_person.organisation_id != self.organisation_id:
            errors["contact_person"] = _("%(person)s does not work for %(organisation)s.") % {
                "person": self.contact_person,
                "organisation": self.organisation,
            }
        if self.status == ProspectStatus.COMMITTED and not self.contact_person_id:
            errors["contact_person"] = _("A committed structure needs a contact person: choose one first.")
        if self.next_step_due and not self.next_step:
            errors["next_step"] = _("Describe the next step to give it a due date.")
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: object = None) -> None:
        if (
            self.team_id
            and self.organisation_id
            and type(self)
            .objects.filter(team_id=self.team_id, organisation_id=self.organisation_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {
                    "organisation": _("%(organisation)s is already prospected for %(team)s.")
                    % {"organisation": self.organisation, "team": self.team}
                }
            )
        super().validate_constraints(exclude=exclude)  # type: ignore[arg-type]

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.next_step_due
            and self.next_step_due < timezone.localdate()
            and self.status not in (ProspectStatus.COMMITTED, ProspectStatus.DECLINED)
        )


class ProspectContact(TimeStampedModel):
    """One contact made with a prospected structure: when, how, by whom, and what came of it."""

    prospect = models.ForeignKey(
        Prospect, verbose_name=_("prospected structure"), on_delete=models.PROTECT, related_name="contacts"
    )
    contacted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("person reached"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"))

    history = HistoricalRecords()
    objects = ProspectContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact made")
        verbose_name_plural = _("contacts made")
        ordering = ["-contacted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.contacted_on:%d/%m/%Y} — {self.get_channel_display()}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = _not_in_future(
            self.contacted_on,
            "contacted_on",
            _("A contact cannot be dated in the future (today is %s).") % f"{timezone.localdate():%d/%m/%Y}",
        )
        if (
            self.person_id
            and self.prospect_id
            and self.person.organisation_id != self.prospect.organisation_id
        ):
            errors["person"] = _("%(person)s does not work for %(organisation)s.") % {
                "person": self.person,
                "organisation": self.prospect.organisation,
            }
        if errors:
            raise ValidationError(errors)


class CommitteeMember(VersionedModel):
    """A structure on the programme's partners' committee, chosen for its expertise."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="committee_members",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="committee_memberships",
    )
    people = models.ManyToManyField("organisations.Person", verbose_name=_("representatives"), blank=True)
    expertise = models.TextField(_("expertise"))
    solutions = models.JSONField(_("solutions of expertise"), default=list, blank=True)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("partners' committee member")
        verbose_name_plural = _("partners' committee members")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"],
                condition=models.Q(left_on__isnull=True),
                name="committee_one_current_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self) -> None:
        super().clean()
        errors = {
            **_not_in_future(self.joined_on, "joined_on", _("A membership cannot start in the future.")),
            **_not_in_future(self.left_on, "left_on", _("A departure cannot be dated in the future.")),
        }
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = _("A member cannot leave before joining.")
        if self.organisation_id and self.programme_id and self.organisation.programme_id != self.programme_id:
            errors["organisation"] = _("This organisation belongs to another programme.")
        unknown = [code for code in self.solutions or [] if code not in Solution.values]
        if not isinstance(self.solutions, list) or unknown:
            errors["solutions"] = _("Unknown solution codes: %s.") % ", ".join(map(str, unknown))
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: object = None) -> None:
        if (
            self.left_on is None
            and self.organisation_id
            and type(self)
            .objects.filter(programme_id=self.programme_id, organisation_id=self.organisation_id)
            .current()
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"organisation": _("%s is already a member of the partners' committee.") % self.organisation}
            )
        super().validate_constraints(exclude=exclude)  # type: ignore[arg-type]

    @property
    def solution_labels(self) -> list[str]:
        return [str(Solution(code).label) for code in self.solutions if code in Solution.values]


class CommitteeSubgroup(VersionedModel):
    """Part of the committee that joins one project's or one topic's work (workshops, funding…)."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="committee_subgroups",
    )
    name = models.CharField(_("name"), max_length=150)
    topic = models.CharField(_("topic"), max_length=250, blank=True)
    team = models.ForeignKey(
        ProjectTeam,
        verbose_name=_("project team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_subgroups",
    )
    works_on = models.JSONField(_("joins"), default=list, blank=True)
    members = models.ManyToManyField(
        CommitteeMember, verbose_name=_("members"), blank=True, related_name="subgroups"
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = CommitteeSubgroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee sub-group")
        verbose_name_plural = _("committee sub-groups")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="subgroup_unique_name")]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude: object = None) -> None:
        if (
            self.programme_id
            and type(self)
            .objects.filter(programme_id=self.programme_id, name__iexact=self.name)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"name": _("A sub-group named “%s” already exists.") % self.name})
        super().validate_constraints(exclude=exclude)  # type: ignore[arg-type]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.team_id and self.programme_id and self.team.programme_id != self.programme_id:
            errors["team"] = _("This team belongs to another programme.")
        if not self.team_id and not self.topic:
            errors["topic"] = _("Give the sub-group a topic or a project team.")
        unknown = [code for code in self.works_on or [] if code not in SubgroupWork.values]
        if not isinstance(self.works_on, list) or unknown:
            errors["works_on"] = _("Unknown kinds of work: %s.") % ", ".join(map(str, unknown))
        if errors:
            raise ValidationError(errors)

    @property
    def works_on_labels(self) -> list[str]:
        return [str(SubgroupWork(code).label) for code in self.works_on if code in SubgroupWork.values]
