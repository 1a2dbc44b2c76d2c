"""Writes for Google's ``pages`` API: a client's ClaimReview markup page becomes draft claims.

A created page is never published: each markup becomes a draft claim for the desk (claim text,
claimant, claim date, rating and explanation when the label is one of ours, appearances as
evidence), through the claims and sources services, so roles and the audit trail apply as for
any other door. Updating or deleting a page is possible while all of its claims are still drafts;
once the desk has taken one further, the page is the desk's.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from claims import services as claim_services
from claims.models import Claim, Evidence, Rating
from factcheck.actors import require_permission
from factcheck.audit import audit_context
from factcheck.errors import Conflict, NotFound, StaleVersion
from factchecktools.markup import MarkupInput, PageInput
from factchecktools.models import MarkupPage, MarkupPageClaim
from sources import services as source_services
from sources.models import Person, Source


class PageTakenOverError(Conflict):
    """A claim of the page is no longer a draft: the desk owns it now (409)."""

    code = "page_in_workflow"


def _person(name: str, job_title: str, same_as: str, *, actor) -> Person | None:
    if not name:
        return None
    person = (Person.objects.filter(name__iexact=name).order_by("pk").first()
              or Person.objects.filter(aliases__contains=[name]).order_by("pk").first())
    if person is None:
        person = source_services.person_create(actor=actor, name=name, title=job_title, url=same_as)
    return person


def _rating(label: str) -> Rating | None:
    """One of our ratings by label or slug; a label we don't use leaves the draft unrated (the
    desk rates it), it never adds a rating to our scale."""
    if not label:
        return None
    return Rating.objects.filter(Q(label__iexact=label) | Q(slug__iexact=label)).first()


def _source(url: str, *, actor) -> Source:
    prepared = source_services.prepare_url(url)
    return Source.objects.filter(url=prepared).first() or source_services.source_create(actor=actor, url=url)


def _claim_fields(markup: MarkupInput, *, actor) -> dict:
    rating = _rating(markup.textual_rating)
    explanation = markup.rating_explanation
    if markup.textual_rating and rating is None:
        explanation = (f"Suggested rating: {markup.textual_rating}. {explanation}").strip()
    return {
        "text": markup.claim_reviewed,
        "claimant": _person(markup.author_name, markup.author_job_title, markup.author_same_as, actor=actor),
        "claim_date": markup.claim_date,
        "rating": rating,
        "rating_explanation": explanation,
    }


def _set_appearances(claim: Claim, urls: tuple[str, ...], *, actor) -> None:
    wanted = [_source(url, actor=actor) for url in urls]
    current = {e.source_id: e for e in claim.evidence.filter(relation=Evidence.Relation.APPEARANCE)}
    for evidence in current.values():
        if evidence.source_id not in {s.pk for s in wanted}:
            claim_services.evidence_remove(evidence_id=evidence.pk, actor=actor)
    for order, source in enumerate(wanted):
        if source.pk not in current:
            claim_services.evidence_add(claim_id=claim.pk, actor=actor, source=source,
                                        relation=Evidence.Relation.APPEARANCE, order=order)


def _add_markup(page: MarkupPage, position: int, markup: MarkupInput, *, actor) -> None:
    claim = claim_services.claim_create(actor=actor, **_claim_fields(markup, actor=actor))
    _set_appearances(claim, markup.appearances, actor=actor)
    MarkupPageClaim.objects.create(page=page, claim=claim, position=position,
                                   review_url=markup.review_url, claim_location=markup.claim_location)


def _apply_page_fields(page: MarkupPage, data: PageInput) -> None:
    page.page_url = data.page_url
    page.publish_date = data.publish_date
    page.author_name = data.author_name
    page.author_image_url = data.author_image_url


@transaction.atomic
def markup_page_create(*, actor, data: PageInput) -> MarkupPage:
    """Create a page and one draft claim per markup (in order). Needs ``claims.add_claim``."""
    require_permission(actor, "claims.add_claim", "Your role does not allow you to create claims.")
    page = MarkupPage(created_by=actor)
    _apply_page_fields(page, data)
    with audit_context(actor, action="markup_page_create"):
        page.full_clean()
        page.save()
        for position, markup in enumerate(data.markups):
            _add_markup(page, position, markup, actor=actor)
    return page


def _lock_page(page_id: int, actor) -> MarkupPage:
    """The page, locked; its creator or staff only (others: NotFound, as if missing)."""
    page = MarkupPage.objects.select_for_update().filter(pk=page_id).first()
    if page is None or not (actor.is_staff or page.created_by_id == actor.pk):
        raise NotFound("No such page.")
    return page


def _entries_still_drafts(page: MarkupPage) -> list[MarkupPageClaim]:
    entries = list(page.markups.select_related("claim").select_for_update(of=("self", "claim")))
    taken = [entry.claim for entry in entries if entry.claim.status != Claim.Status.DRAFT]
    if taken:
        raise PageTakenOverError(
            "The desk has taken this page's claims further ("
            + ", ".join(f"claim {c.pk} is {c.get_status_display().lower()}" for c in taken)
            + "); change them in the workflow instead.",
            fields={"claims": [c.pk for c in taken]},
        )
    return entries


@transaction.atomic
def markup_page_update(*, actor, page_id: int, data: PageInput) -> MarkupPage:
    """Replace a page's fields and markups while all its claims are drafts. Locks the page.

    ``data.version_id`` (Google's ``versionId``) must be the page's current version when given:
    otherwise StaleVersion (412), so two clients cannot overwrite each other silently.
    """
    require_permission(actor, "claims.change_claim", "Your role does not allow you to edit claims.")
    page = _lock_page(page_id, actor)
    if data.version_id and data.version_id != str(page.version):
        raise StaleVersion("The page has changed since you read it; read it again (versionId).")
    entries = _entries_still_drafts(page)
    if len(data.markups) < len(entries):
        require_permission(actor, "claims.delete_claim", "Removing a markup deletes its draft claim, "
                           "and your role does not allow deleting claims.")
    with audit_context(actor, action="markup_page_update"):
        _apply_page_fields(page, data)
        page.version += 1
        page.full_clean()
        page.save()
        for entry, markup in zip(entries, data.markups, strict=False):
            fields = _claim_fields(markup, actor=actor)
            claim_services.claim_update(claim_id=entry.claim_id, actor=actor, **fields)
            _set_appearances(entry.claim, markup.appearances, actor=actor)
            entry.review_url, entry.claim_location = markup.review_url, markup.claim_location
            entry.save(update_fields=["review_url", "claim_location"])
        for entry in entries[len(data.markups):]:
            entry.delete()
            claim_services.claim_delete(claim_id=entry.claim_id, actor=actor)
        for position, markup in enumerate(data.markups[len(entries):], start=len(entries)):
            _add_markup(page, position, markup, actor=actor)
    return page


@transaction.atomic
def markup_page_delete(*, actor, page_id: int) -> None:
    """Delete a page and its draft claims (``claims.delete_claim``). Locks the page."""
    require_permission(actor, "claims.delete_claim", "Your role does not allow you to delete claims.")
    page = _lock_page(page_id, actor)
    entries = _entries_still_drafts(page)
    with audit_context(actor, action="markup_page_delete"):
        for entry in entries:
            entry.delete()
            claim_services.claim_delete(claim_id=entry.claim_id, actor=actor)
        page.delete()
