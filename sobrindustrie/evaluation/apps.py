from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "sobrindustrie.evaluation"
    label = "evaluation"

    def ready(self) -> None:
        # The timesheets let each area declare the rows time can be booked on (see
        # meetings.timesheets.OBJECT_SOURCES): days of evaluation are booked on an evaluation, and
        # counted against programme.evaluation_days_cap.
        from sobrindustrie.evaluation.models import Evaluation
        from sobrindustrie.meetings.enums import TimeObjectKind
        from sobrindustrie.meetings.timesheets import OBJECT_SOURCES

        OBJECT_SOURCES.setdefault(
            TimeObjectKind.EVALUATION,
            lambda programme: Evaluation.objects.for_programme(programme),
        )
