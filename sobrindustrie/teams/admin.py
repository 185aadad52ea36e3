from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sobrindustrie.teams.models import (
    CommitteeMember,
    CommitteeSubgroup,
    ProjectTeam,
    Prospect,
    ProspectContact,
    TeamMembership,
)


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(ProjectTeam)
class ProjectTeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "theme", "status"]
    list_filter = ["programme", "theme", "status"]
    search_fields = ["name"]
    inlines = [MembershipInline]


class ContactInline(admin.TabularInline):
    model = ProspectContact
    extra = 0
    raw_id_fields = ["made_by", "person"]


@admin.register(Prospect)
class ProspectAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "team", "status", "next_step_due"]
    list_filter = ["team__programme", "status", "sought"]
    search_fields = ["organisation__name", "team__name"]
    raw_id_fields = ["organisation", "contact_person", "followed_by"]
    inlines = [ContactInline]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "programme", "joined_on", "left_on"]
    list_filter = ["programme"]
    raw_id_fields = ["organisation"]
    filter_horizontal = ["people"]


@admin.register(CommitteeSubgroup)
class CommitteeSubgroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "team"]
    list_filter = ["programme"]
    filter_horizontal = ["members"]
