from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sobrindustrie.programmes.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "starts_on", "ends_on", "target_team_count"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "region"]
