"""Issue an API token from the command line (prints the secret once)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create
from factcheck.errors import DomainError


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it cannot be shown again)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        parser.add_argument("--days", type=int, default=None, help="Expire after this many days.")

    def handle(self, *args, username: str, name: str, scope: str, days: int | None, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            issued = api_token_create(actor=user, name=name, scope=scope, expires_at=expires_at)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(issued.raw)
        self.stderr.write(f"{scope} token {issued.token.prefix} for {username}"
                          + (f", expires {expires_at:%Y-%m-%d}" if expires_at else "") + ".")
