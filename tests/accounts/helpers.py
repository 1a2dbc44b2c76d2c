"""Organisations for tests: made directly (administrators make them in admin)."""

from __future__ import annotations

from accounts.models import Membership, Organisation


def organisation(name: str = "Desk team", *, managers=(), members=()) -> Organisation:
    team = Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    for user in managers:
        Membership.objects.create(organisation=team, user=user, role=Membership.Role.MANAGER)
    for user in members:
        Membership.objects.create(organisation=team, user=user, role=Membership.Role.MEMBER)
    return team
