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


def _fail(email: str, address: str) -> int:
    response = Client(REMOTE_ADDR=address).post(reverse("www:login"), {"username": email, "password": "nope"})
    return response.status_code


def test_one_account_tried_from_many_addresses_is_locked(world: World) -> None:
    user = world.users["ademe"]
    statuses = [_fail(user.email, f"198.51.100.{index + 1}") for index in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the last failure locks
    locked = Client(REMOTE_ADDR="203.0.113.9").post(
        reverse("www:login"), {"username": user.email, "password": "password"}
    )
    assert locked.status_code == 429  # even the right password, from yet another address
    other = world.users["consultant"]
    assert (
        Client(REMOTE_ADDR="203.0.113.9")
        .post(reverse("www:login"), {"username": other.email, "password": "password"})
        .status_code
        == 302
    )  # the other accounts, and that address, are not locked


def test_one_address_trying_many_accounts_is_locked(world: World) -> None:
    accounts = [user.email for user in world.users.values()]
    statuses = [_fail(email, "198.51.100.7") for email in accounts[: settings.AXES_FAILURE_LIMIT]]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    untouched = world.users["outsider_sme"]
    locked = Client(REMOTE_ADDR="198.51.100.7").post(
        reverse("www:login"), {"username": untouched.email, "password": "password"}
    )
    assert locked.status_code == 429
    assert "15" in locked.content.decode()  # the page says how long
    assert (
        Client(REMOTE_ADDR="198.51.100.8")
        .post(reverse("www:login"), {"username": untouched.email, "password": "password"})
        .status_code
        == 302
    )


def test_old_argon2_hashes_are_upgraded_at_next_login(db: object) -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
    from django.test import override_settings

    from config.settings import PRODUCTION_PASSWORD_HASHERS
    from sobrindustrie.accounts.models import User
    from tests.factories import UserFactory

    user = UserFactory()
    # A hash as Django's default Argon2 made it before this setting: 100 MiB, 2 lanes.
    User.objects.filter(pk=user.pk).update(password=Argon2PasswordHasher().encode("password", "s" * 22))
    with override_settings(PASSWORD_HASHERS=PRODUCTION_PASSWORD_HASHERS):
        response = Client().post(reverse("www:login"), {"username": user.email, "password": "password"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        assert make_password("x").startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert not Argon2PasswordHasher().encode("password", "s" * 22).startswith("argon2$argon2id$v=19$m=19456")


def test_production_refuses_to_start_without_site_url(tmp_path: object) -> None:
    import os
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "DEBUG", "SECRET_KEY", "SOBRINDUSTRIE_TESTING"}
    }
    command = [sys.executable, "-c", "import django; django.setup()"]
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false", SECRET_KEY="a-real-secret-for-this-test"
    )
    refused = subprocess.run(
        command, env=env, capture_output=True, text=True, cwd=settings.BASE_DIR, check=False
    )
    assert refused.returncode != 0
    assert "SITE_URL must be set when DEBUG is false" in refused.stderr
    env["SITE_URL"] = "https://sobrindustrie.example.fr"
    started = subprocess.run(
        command, env=env, capture_output=True, text=True, cwd=settings.BASE_DIR, check=False
    )
    assert started.returncode == 0, started.stderr
