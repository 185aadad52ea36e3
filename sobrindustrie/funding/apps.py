from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "sobrindustrie.funding"
    label = "funding"

    def ready(self) -> None:
        # The timesheets let each area declare the rows time can be booked on (see
        # meetings.timesheets.OBJECT_SOURCES): a funding order is one application.
        from sobrindustrie.funding.models import FundingApplication
        from sobrindustrie.meetings.enums import TimeObjectKind
        from sobrindustrie.meetings.timesheets import OBJECT_SOURCES

        OBJECT_SOURCES.setdefault(
            TimeObjectKind.FUNDING_ORDER,
            lambda programme: FundingApplication.objects.for_programme(programme),
        )
