"""Password guessing in the admin (django-axes, settings.AXES_*): an account and an address are
each locked after 10 failed logins; the lock-out page says so; an operator unlocks with a command.

Found by the attack run: 99 wrong passwords then the right one logged in, with no lock-out."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from factcheck.client_ip import client_ip

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
LIMIT = 10


def login(client: Client, username: str, password: str, address: str = "203.0.113.7", **headers):
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=address, **headers)


def test_the_right_password_after_ten_wrong_ones_is_locked_out(editor):
    client = Client()
    for _ in range(LIMIT - 1):
        assert login(client, "ed", "guess").status_code == 200  # the form again, with its error
    locked = login(client, "ed", "guess")
    assert locked.status_code == 429
    response = login(client, "ed", "pw")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed logins for “ed” or from your address: logging in is locked for 0:15:00" in text
    assert "ask an administrator to unlock the account" in text
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_do_not_lock(editor):
    client = Client()
    for _ in range(LIMIT - 1):
        login(client, "ed", "guess")
    assert login(client, "ed", "pw").status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_guessing_from_many_addresses_locks_the_account(editor):
    client = Client()
    for n in range(LIMIT):
        login(client, "ed", "guess", address=f"198.51.100.{n + 1}")
    assert login(Client(), "ed", "pw", address="192.0.2.99").status_code == 429


def test_guessing_many_accounts_from_one_address_locks_the_address(editor, reviewer):
    client = Client()
    for n in range(LIMIT):
        login(client, f"someone{n}", "guess", address="203.0.113.50")
    assert login(Client(), "rev", "pw", address="203.0.113.50").status_code == 429
    assert login(Client(), "rev", "pw", address="203.0.113.51").status_code == 302  # other address


def test_an_operator_unlocks_an_account(editor):
    for n in range(LIMIT):
        login(Client(), "ed", "guess", address=f"198.51.100.{n + 1}")
    assert login(Client(), "ed", "pw").status_code == 429
    call_command("axes_reset_username", "ed", stdout=io.StringIO())
    assert login(Client(), "ed", "pw").status_code == 302


def test_an_operator_unlocks_an_address(editor):
    for n in range(LIMIT):
        login(Client(), f"someone{n}", "guess")
    assert login(Client(), "ed", "pw").status_code == 429
    call_command("axes_reset_ip", "203.0.113.7", stdout=io.StringIO())
    assert login(Client(), "ed", "pw").status_code == 302


def test_behind_the_proxy_the_forwarded_address_is_counted(settings, editor):
    settings.BEHIND_PROXY = True
    for _ in range(LIMIT):
        login(Client(), "other", "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    # Same proxy, another client: not locked; the guessing client is.
    assert login(Client(), "ed", "pw", address="10.0.0.1",
                 HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 302
    assert login(Client(), "ed", "pw", address="10.0.0.1",
                 HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


def test_client_ip_ignores_forwarded_for_unless_behind_a_proxy(settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
