"""Reads for API tokens, organisations, and what belongs to a user or an organisation."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import ApiToken, Membership, Organisation
from accounts.services import TOKEN_MARK, hash_secret
from factcheck.errors import InvalidInput, NotFound, NotPermitted


def api_tokens_visible_to(user) -> QuerySet[ApiToken]:
    """A user's own tokens; a superuser sees everyone's."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    return tokens if user.is_superuser else tokens.filter(user=user)


def api_token_for_raw(raw: str) -> ApiToken | None:
    """The active (not revoked, not expired) token matching ``raw``, with its user, or None."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARK or not parts[1] or len(parts[1]) > 16:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], key_hash=hash_secret(raw), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .first()
    )


# --- organisations, and objects owned by a user or an organisation ----------------------------


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def organisations_of(user) -> QuerySet[Organisation]:
    """The organisations ``user`` is a member of (any role)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def _memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=OuterRef("organisation_id"), user=user)


def shared_with(user, objects: QuerySet) -> QuerySet:
    """The rows of ``objects`` (an ``OwnedByUserOrOrganisation`` model) ``user`` may see: their own
    and their organisations'. Nobody else's: the permission is part of the query."""
    if not _signed_in(user):
        return objects.none()
    return objects.filter(Q(owner=user) | Exists(_memberships(user)))


def changeable_by(user, objects: QuerySet) -> QuerySet:
    """The rows of ``objects`` ``user`` may change or delete: their own; of their organisations',
    those they made and, for the organisation's managers, all."""
    if not _signed_in(user):
        return objects.none()
    members = _memberships(user)
    return objects.filter(Q(owner=user) | Exists(members.filter(role=Membership.Role.MANAGER))
                          | Q(created_by=user) & Exists(members))


def owned_or_404(objects: QuerySet, user, pk, *, what: str, to_change: bool = False) -> Model:
    """Object ``pk`` of ``objects`` if ``user`` may see it, else NotFound — the same answer as for a
    missing one. ``to_change``: NotPermitted when they may see it but not change it (a member who is
    neither a manager nor its creator). Pass ``objects.select_for_update()`` to lock it."""
    found = shared_with(user, objects).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No such {what}.")
    if to_change and not changeable_by(user, type(found).objects.filter(pk=found.pk)).exists():
        raise NotPermitted(f"Only the organisation's managers and the member who made it may change "
                           f"this {what}.")
    return found


def organisation_for(user, slug: str | None) -> Organisation | None:
    """The organisation ``slug`` names, when ``user`` is a member of it (None for no slug); an
    InvalidInput naming ``organisation`` otherwise (whether it exists or not)."""
    if not slug:
        return None
    found = organisations_of(user).filter(slug=slug).first()
    if found is None:
        raise InvalidInput("You are not a member of that organisation.",
                           fields={"organisation": ["Not one of your organisations."]})
    return found


def viewer_of(obj, *, sees_private: Callable[[object], bool]):
    """Whose eyes an owned object reads with (what its webhook receives, what its saved search
    matches): a user's object, its owner's; an organisation's, a member's when every member
    ``sees_private``, else the public's (``AnonymousUser``) — so no member learns through it
    anything they could not see themselves."""
    if obj.owner_id is not None:
        return obj.owner
    members = [m.user for m in Membership.objects.filter(organisation_id=obj.organisation_id)
               .select_related("user").order_by("user_id")]
    if members and all(sees_private(member) for member in members):
        return members[0]
    return AnonymousUser()
