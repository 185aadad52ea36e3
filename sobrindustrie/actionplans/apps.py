from typing import Any

from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    name = "sobrindustrie.actionplans"
    label = "actionplans"

    def ready(self) -> None:
        from sobrindustrie.organisations.signals import person_erased

        person_erased.connect(_scrub_erased_person, dispatch_uid="actionplans-scrub-erased-person")


def _scrub_erased_person(sender: Any, person: Any, **kwargs: Any) -> None:
    """An erased person's name leaves the adopted versions too (`snapshot.scrub_person`)."""
    from sobrindustrie.actionplans.snapshot import scrub_person

    scrub_person(person, kwargs.get("former_names", frozenset()))
