from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sobrindustrie.meetings.models import (
    ChecklistItem,
    Decision,
    Guest,
    Invitation,
    Meeting,
    MeetingDocument,
    Minutes,
    MinutesLog,
    Registration,
    RestitutionEvent,
    Survey,
    SurveyQuestion,
    TimeEntry,
)


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "attendance", "invited_at", "reminded_at"]


class GuestInline(admin.TabularInline):
    model = Guest
    extra = 0


class DocumentInline(admin.TabularInline):
    model = MeetingDocument
    extra = 0
    fields = ["title", "file"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "mode", "status", "programme"]
    list_filter = ["programme", "kind", "status", "mode"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["organisations", "teams"]
    inlines = [InvitationInline, GuestInline, DocumentInline]


class MinutesLogInline(admin.TabularInline):
    model = MinutesLog
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "user", "comment", "at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The log is written by services.apply_transition only.
        return False


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "status", "first_submitted_at", "validated_at"]
    list_filter = ["status", "meeting__programme"]
    # Status changes go through the workflow (who may do what, logged): not editable here.
    readonly_fields = ["status", "first_submitted_at", "submitted_at", "validated_at", "validated_by"]
    inlines = [MinutesLogInline]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "text", "owner", "due_on", "status", "programme"]
    list_filter = ["programme", "status", "kind"]
    search_fields = ["text"]


class QuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 0


@admin.register(Survey)
class SurveyAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "closes_at", "closed_at"]
    inlines = [QuestionInline]


@admin.register(TimeEntry)
class TimeEntryAdmin(SimpleHistoryAdmin):
    list_display = ["date", "consultant", "days", "axis", "object_kind", "object_label", "programme"]
    list_filter = ["programme", "axis", "object_kind", "consultant"]
    date_hierarchy = "date"


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["name", "organisation_name", "email", "status", "diet", "accessibility_needs"]


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(RestitutionEvent)
class RestitutionEventAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "registration_open", "capacity"]
    inlines = [RegistrationInline, ChecklistInline]
