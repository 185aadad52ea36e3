from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed


class AccountsConfig(AppConfig):
    name = "sobrindustrie.accounts"
    label = "accounts"

    def ready(self) -> None:
        from sobrindustrie.accounts.models import User

        m2m_changed.connect(_forget_access, sender=User.programmes.through)


def _forget_access(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A user assigned to (or removed from) a programme is re-resolved on its next check."""
    from sobrindustrie.accounts.access import forget_access

    forget_access(instance)
