"""Topics and the verdict scale (ratings)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from claims.errors import RoleError
from claims.models import Rating, Topic
from claims.workflow import has_perm
from factcheck.concurrency import ExpectedEtag, lock_row
from factcheck.errors import InvalidInput
from factcheck.fields import apply_fields, refuse_unknown_fields, unique_slug

TOPIC_FIELDS = {"name", "slug"}


@transaction.atomic
def topic_create(*, actor, name: str, slug: str = "") -> Topic:
    """Create a topic (``claims.add_topic``); the slug defaults to one made from the name."""
    if not has_perm(actor, "claims.add_topic"):
        raise RoleError("Your role does not allow you to create topics.")
    name = (name or "").strip()
    topic = Topic(name=name, slug=slug or unique_slug(Topic, name))
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_update(*, actor, topic: Topic, expected: ExpectedEtag | None = None,
                 **fields: Any) -> Topic:
    """Rename a topic or change its slug (``claims.change_topic``). Locks the row; ``expected``
    (the API's If-Match) is compared under the lock (StaleVersion)."""
    if not has_perm(actor, "claims.change_topic"):
        raise RoleError("Your role does not allow you to edit topics.")
    topic = lock_row(Topic, topic.pk, expected=expected)
    apply_fields(topic, fields, TOPIC_FIELDS)
    topic.full_clean()
    topic.save()
    return topic


RATING_FIELDS = {"label", "slug", "value", "description", "order"}


def _ensure_admin(actor) -> None:
    if not (actor and actor.is_active and actor.is_superuser):
        raise RoleError("Only administrators may change the rating scale.")


@transaction.atomic
def rating_create(*, actor, label: str, slug: str = "", **fields: Any) -> Rating:
    """Add a step to the verdict scale. Administrators only (it is the newsroom's methodology)."""
    _ensure_admin(actor)
    refuse_unknown_fields(fields, RATING_FIELDS)
    rating = Rating(label=(label or "").strip(), slug=slug or unique_slug(Rating, label), **fields)
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def rating_update(*, actor, rating: Rating, expected: ExpectedEtag | None = None,
                  **fields: Any) -> Rating:
    """Edit a rating's label, slug, value, description or order. Administrators only. Locks the
    row; ``expected`` (the API's If-Match) is compared under the lock (StaleVersion)."""
    _ensure_admin(actor)
    rating = lock_row(Rating, rating.pk, expected=expected)
    apply_fields(rating, fields, RATING_FIELDS)
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def rating_for_label(*, label: str) -> tuple[Rating, bool]:
    """The rating whose label or slug matches ``label`` (case-insensitive), else a new
    non-ordinal rating with that label (another fact-checker's verdict such as "Pants on Fire"
    has no place on our ordinal scale). Returns ``(rating, created)``."""
    label = " ".join((label or "").split())[:100]
    if not label:
        raise InvalidInput("A rating needs a label.", fields={"rating": ["Required."]})
    existing = Rating.objects.filter(label__iexact=label).first() or Rating.objects.filter(
        slug=slugify(label)
    ).first()
    if existing is not None:
        return existing, False
    last = Rating.objects.order_by("-order").values_list("order", flat=True).first() or 0
    rating = Rating(label=label, slug=unique_slug(Rating, label, max_length=90), value=None,
                    order=last + 1, description="Imported with an external fact check.")
    rating.full_clean()
    rating.save()
    return rating, True
