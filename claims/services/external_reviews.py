"""External reviews: other fact-checkers' ClaimReviews stored as published external claims."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from claims.models import Claim, Correction, Evidence, Rating, ReviewEvent
from claims.services.taxonomy import rating_for_label
from claims.workflow import save_claim
from factcheck.audit import audit_context
from factcheck.fields import unique_slug
from sources.language import settle_language, site_language
from sources.models import Person, Source

Status = Claim.Status


@transaction.atomic
def external_review_import(
    *, review_url: str, text: str, publisher_name: str, publisher_site: str, rating: Rating,
    published_at, claimant: Person | None = None, claim_date: date | None = None,
    language: str | None = None, rating_explanation: str = "", appearances: Iterable[Source] = (),
    actor=None, reviewed_at=None,
) -> tuple[Claim, bool]:
    """Store another fact-checker's review as a published external claim.

    Idempotent by ``review_url`` (unique among external claims): when it is already there,
    nothing changes and ``(claim, False)`` is returned. The claim is published directly
    (``is_external``: no reviewer of ours, no publish gates), with an ``appearance`` evidence
    per source and a review-log row saying where it came from. ``reviewed_at`` is the other
    fact-checker's review date (ClaimReview ``datePublished``), which public pages show;
    ``published_at`` is when it is listed on our site (default: now). The review's
    ``language`` is kept as given (a malformed one counts as absent); absent, it is detected.
    """
    existing = Claim.objects.filter(external_review_url=review_url).first()
    if existing is not None:
        return existing, False
    text = " ".join((text or "").split())
    claim = Claim(
        text=text, slug=unique_slug(Claim, text, max_length=80), claimant=claimant,
        claim_date=claim_date, rating=rating,
        rating_explanation=(rating_explanation or "")[:500], status=Status.PUBLISHED,
        published_at=published_at or timezone.now(), is_external=True,
        external_review_url=review_url, external_publisher_name=(publisher_name or "")[:200],
        external_publisher_site=(publisher_site or "")[:253], external_reviewed_at=reviewed_at,
    )
    settle_language(claim, text=text, given=language, fallback=site_language(), lenient=True)
    claim.full_clean()
    with audit_context(actor, action="external_review_import"):
        claim.save()
        for order, source in enumerate(dict.fromkeys(appearances)):
            Evidence.objects.create(claim=claim, source=source, relation=Evidence.Relation.APPEARANCE,
                                    order=order)
        ReviewEvent.objects.create(
            claim=claim, actor=actor if getattr(actor, "pk", None) else None,
            from_status=Status.DRAFT, to_status=Status.PUBLISHED,
            comment=f"Imported from {publisher_name or publisher_site}'s ClaimReview: {review_url}",
        )
    return claim, True


@transaction.atomic
def external_review_update(
    *, claim_id: int, rating_label: str, rating_explanation: str, text: str, actor=None,
) -> tuple[Claim, list[str], Rating | None]:
    """Bring an imported external claim up to date with its review read again.

    Locks the claim. Compares the verdict (by label, as imports match it), the rating explanation
    and the claim text; when any changed, saves the new values and records one public
    ``Correction``: ``rating_change`` (old and new rating) when the verdict moved, else
    ``update``. Returns ``(claim, changes, rating_created)``: ``changes`` describes each change
    for people (empty when nothing changed or the claim is retracted — then nothing is written);
    ``rating_created`` is a non-ordinal rating this call had to add, else None.
    """
    claim = Claim.objects.select_for_update(of=("self",)).select_related("rating").get(pk=claim_id)
    if claim.status != Status.PUBLISHED:
        return claim, [], None
    changes: list[str] = []
    changed_fields: list[str] = []
    created_rating = None
    old_rating = claim.rating
    if old_rating is None or rating_label.casefold() != old_rating.label.casefold():
        rating, rating_created = rating_for_label(label=rating_label)
        if rating.pk != claim.rating_id:
            created_rating = rating if rating_created else None
            changes.append(f"rating {old_rating.label if old_rating else 'none'} → {rating.label}")
            claim.rating = rating
            changed_fields.append("rating")
    explanation = (rating_explanation or "")[:500]
    if explanation and explanation != claim.rating_explanation:
        changes.append("new rating explanation")
        claim.rating_explanation = explanation
        changed_fields.append("rating_explanation")
    text = " ".join(text.split())
    if text != claim.text:
        changes.append("claim reworded")
        claim.text = text
        changed_fields.append("text")
        # A detected language follows the new words; a given one stays.
        changed_fields += settle_language(claim, text=text, fallback=site_language())
    if not changes:
        return claim, [], created_rating
    publisher = claim.external_publisher_name or claim.external_publisher_site
    rating_changed = "rating" in changed_fields
    with audit_context(actor, action="claimreview_reimport"):
        claim.full_clean(exclude=["slug"])
        save_claim(claim, changed_fields)
        Correction.objects.create(
            claim=claim,
            kind=Correction.Kind.RATING_CHANGE if rating_changed else Correction.Kind.UPDATE,
            note=f"{publisher} updated its review ({claim.external_review_url}): {'; '.join(changes)}.",
            old_rating=old_rating if rating_changed else None,
            new_rating=claim.rating if rating_changed else None,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
    return claim, changes, created_rating
