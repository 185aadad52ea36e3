from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import World


def test_it_logs_in_by_email(world: World) -> None:
    user = world.users["ademe"]
    response = Client().post(reverse("www:login"), {"username": user.email.upper(), "password": "password"})
    assert response.status_code == 302


def test_a_wrong_password_is_refused_with_a_message(world: World) -> None:
    user = world.users["ademe"]
    response = Client().post(reverse("www:login"), {"username": user.email, "password": "nope"})
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous


def test_login_attempts_are_throttled(world: World) -> None:
    user = world.users["ademe"]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("www:login"), {"username": user.email, "password": "nope"})
    locked = client.post(reverse("www:login"), {"username": user.email, "password": "password"})
    assert locked.status_code == 429
    assert locked.wsgi_request.user.is_anonymous


def test_production_hashes_passwords_with_argon2(db: object) -> None:
    from django.test import override_settings

    from config.settings import PRODUCTION_PASSWORD_HASHERS
    from tests.factories import UserFactory

    with override_settings(PASSWORD_HASHERS=PRODUCTION_PASSWORD_HASHERS):
        user = UserFactory()
        assert user.password.startswith("argon2")
        assert user.check_password("password")


def test_pages_require_login() -> None:
    response = Client().get("/programmes/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("www:login"))
