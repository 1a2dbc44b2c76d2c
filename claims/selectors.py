"""Reads for claims and what hangs off them, with visibility built in.

The public (anonymous users, users without staff status, and — decided by the API — read-scope
tokens of non-staff users) sees only published and retracted claims and what hangs off them:
their evidence, the sources and quotes that evidence cites, the claimants and speakers. Staff
(editors, reviewers, administrators) see everything. A private object is simply absent from
these querysets, so a lookup through them answers 404 exactly as for a missing object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from pghistory.models import Events

from claims.claimreview import MarkupEvidence, our_publisher_site
from claims.models import CLAIM_PATH, PUBLIC_STATUSES, Claim, ClaimRelation, Correction, Evidence, ReviewEvent
from claims.search import WORD_RE, ParsedQuery, prefix_tsquery
from claims.similarity import SimilarClaim, similar_claims
from claims.workflow import claims_publish_problems
from factcheck.api.conditional import content_etag
from factcheck.db_routers import read_cursor
from sources.models import Outlet, Person, Quote, Source


def sees_private(user) -> bool:
    """Whether ``user`` may see drafts, claims in review and everything private."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def claims_visible_to(user) -> QuerySet[Claim]:
    """All claims for staff; published and retracted ones for everyone else. Unordered, unplanned:
    callers add their own ``select_related``/ordering (see ``claim_list_rows``)."""
    claims = Claim.objects.all()
    return claims if sees_private(user) else claims.filter(status__in=PUBLIC_STATUSES)


# Beyond a bigint no row can match (and PostgreSQL would refuse the number).
MAX_ID = 2**63 - 1


def claim_visible_to(user, pk: int) -> Claim | None:
    """The claim ``pk`` if ``user`` may see it, else None (missing and private alike). 1 query."""
    if pk > MAX_ID:
        return None
    return claims_visible_to(user).filter(pk=pk).first()


def claim_version_visible_to(user, pk: int) -> int | None:
    """The current ``version`` of claim ``pk`` (an unlocked read) if ``user`` may see it, else
    None. 1 query."""
    if pk > MAX_ID:
        return None
    return claims_visible_to(user).filter(pk=pk).values_list("version", flat=True).first()


def evidence_visible_to(user) -> QuerySet[Evidence]:
    evidence = Evidence.objects.all()
    return evidence if sees_private(user) else evidence.filter(claim__status__in=PUBLIC_STATUSES)


def _public_evidence() -> QuerySet[Evidence]:
    return Evidence.objects.filter(claim__status__in=PUBLIC_STATUSES)


def sources_visible_to(user) -> QuerySet[Source]:
    """Staff: every source. Public: sources cited by a public claim's evidence."""
    if sees_private(user):
        return Source.objects.all()
    return Source.objects.filter(Exists(_public_evidence().filter(source=OuterRef("pk"))))


def quotes_visible_to(user) -> QuerySet[Quote]:
    """Staff: every quote. Public: quotes a public claim's evidence cites."""
    if sees_private(user):
        return Quote.objects.all()
    return Quote.objects.filter(Exists(_public_evidence().filter(quote=OuterRef("pk"))))


def people_visible_to(user) -> QuerySet[Person]:
    """Staff: everyone. Public: claimants of public claims and speakers of public quotes."""
    if sees_private(user):
        return Person.objects.all()
    return Person.objects.filter(
        Exists(Claim.objects.public().filter(claimant=OuterRef("pk")))
        | Exists(_public_evidence().filter(quote__speaker=OuterRef("pk")))
    )


def outlets_visible_to(user) -> QuerySet[Outlet]:
    """Staff: every outlet. Public: outlets of sources a public claim cites."""
    if sees_private(user):
        return Outlet.objects.all()
    return Outlet.objects.filter(Exists(_public_evidence().filter(source__outlet=OuterRef("pk"))))


def claims_similar_to_text(user, *, text: str, limit: int,
                           exclude_claim_id: int | None = None) -> list[SimilarClaim]:
    """Claims ``user`` may see that resemble ``text``, most similar first, with claimant and rating
    loaded (3 queries; scoring in ``claims.similarity``)."""
    return similar_claims(text=text, exclude_claim_id=exclude_claim_id, limit=limit,
                          queryset=claims_visible_to(user))


def claims_similar_to_claim(user, claim: Claim, *, limit: int) -> list[SimilarClaim]:
    """Claims ``user`` may see that resemble ``claim`` (itself left out), most similar first."""
    return claims_similar_to_text(user, text=claim.text, limit=limit, exclude_claim_id=claim.pk)


def claim_relations_visible_to(user, claim: Claim) -> QuerySet[ClaimRelation]:
    """``claim``'s typed relations in both directions whose two claims ``user`` may see, by id."""
    visible = claims_visible_to(user).values("pk")
    return (
        ClaimRelation.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
        .filter(from_claim__in=visible, to_claim__in=visible).order_by("id")
    )


def claim_relation_visible_to(user, claim: Claim, relation_id: int) -> QuerySet[ClaimRelation]:
    """The relation ``relation_id`` of ``claim`` as a queryset of at most one row (empty when
    missing or not visible), so a writer can add ``select_for_update()``."""
    if relation_id > MAX_ID:
        return ClaimRelation.objects.none()
    return claim_relations_visible_to(user, claim).filter(pk=relation_id)


def claim_relation_document(relation: ClaimRelation) -> dict:
    """A relation as the API shows it (``{id, kind, from_claim, to_claim, note}``; no query)."""
    return {"id": relation.pk, "kind": relation.kind, "from_claim": relation.from_claim_id,
            "to_claim": relation.to_claim_id, "note": relation.note}


def claim_relation_etag(relation: ClaimRelation) -> str:
    """The relation's ETag: a hash of its document (relations have no version column)."""
    return content_etag(orjson.dumps(claim_relation_document(relation)))


def claims_waiting_for_review(user, claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims in review that ``user`` may review under the four-eyes rule: not their own.
    ``claims`` narrows a queryset already built (an admin changelist); default: every claim."""
    claims = Claim.objects.all() if claims is None else claims
    return claims.filter(status=Claim.Status.IN_REVIEW).exclude(author=user)


def claims_matching_prefixes(claims: QuerySet[Claim], search_term: str) -> QuerySet[Claim]:
    """``claims`` whose stored, GIN-indexed search vector (claim text, the claimant's name and
    aliases, explanation, quotes) holds every word of ``search_term`` as a prefix (``Sheinb``);
    no words: ``claims`` unchanged. No ILIKE scan of the whole table."""
    words = WORD_RE.findall(search_term)
    if not words:
        return claims
    query = prefix_tsquery(words)  # "" when every word is a stop word: nothing matches
    if not query:
        return claims.none()
    query = ParsedQuery(query)
    return claims.filter(search_vector=query)


# Claims not yet past the publish gates: the ones whose readiness the desk shows.
UNPUBLISHED = (Claim.Status.DRAFT, Claim.Status.IN_REVIEW)


def claims_with_readiness(claims: Iterable[Claim]) -> list[Claim]:
    """``claims`` (a page, already read with ``rating`` and ``claimant`` joined) with
    ``publish_problems`` set on each draft or claim in review
    (``claims.workflow.claim_publish_problems``'s items) and None on the others.

    Two queries whatever the page's size (``claims_publish_problems``: the pending claims'
    evidence, the rating scale); none when no claim is pending."""
    claims = list(claims)
    pending = [claim for claim in claims if claim.status in UNPUBLISHED]
    problems = claims_publish_problems(pending) if pending else {}
    for claim in claims:
        claim.publish_problems = problems.get(claim.pk)
    return claims


def publish_problems_by_id(ids: list[int]) -> dict[int, list[dict]]:
    """``claim_publish_problems`` of the claims ``ids`` (any state), by id. Three queries
    whatever their number (the claims with what the gates and the markup read, then
    ``claims.workflow.claims_publish_problems``'s two)."""
    claims = list(Claim.objects.filter(pk__in=ids).select_related("rating", "claimant")
                  .only(*MARKUP_CLAIM_FIELDS))
    problems = claims_publish_problems(claims)
    return {claim.pk: problems[claim.pk] for claim in claims}


def _last_review_event(field: str) -> Subquery:
    return Subquery(ReviewEvent.objects.filter(claim=OuterRef("pk"))
                    .order_by("-created_at", "-id").values(field)[:1])


def claims_returned_to(user, claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Drafts ``user`` wrote or is assigned that a reviewer sent back ("request changes") and
    that have not been submitted again: their last review event moved them from review to
    draft. ``claims`` narrows a queryset already built (an admin changelist)."""
    claims = Claim.objects.all() if claims is None else claims
    return (claims.filter(Q(author=user) | Q(assignee=user), status=Claim.Status.DRAFT)
            .annotate(last_event_from=_last_review_event("from_status"))
            .filter(last_event_from=Claim.Status.IN_REVIEW))


def claim_returned_note(claim: Claim) -> ReviewEvent | None:
    """The review event that sent ``claim`` back to its author, with its reviewer's comment,
    while the claim is a draft that has not been submitted again; else None. 1 query (none for
    a claim that is not a draft)."""
    if claim.status != Claim.Status.DRAFT:
        return None
    last = (ReviewEvent.objects.filter(claim=claim).select_related("actor")
            .order_by("-created_at", "-id").first())
    if last is None or last.from_status != Claim.Status.IN_REVIEW:
        return None
    return last


@dataclass(frozen=True)
class RecordedChange:
    """One audit-trail event of a claim: when, what (insert/update/delete), who, which fields."""

    at: dt.datetime
    label: str
    username: str | None
    fields: list[str]


# Fields every update touches: listing them would hide what really changed.
ALWAYS_CHANGED = {"updated_at", "version"}


def claim_recent_changes(claim: Claim, *, limit: int = 10) -> list[RecordedChange]:
    """``claim``'s last ``limit`` audit events (django-pghistory), newest first, with the acting
    user's name (2 queries)."""
    events = list(Events.objects.tracks(claim).order_by("-pgh_created_at")[:limit])
    user_ids = {(event.pgh_context or {}).get("user") for event in events} - {None}
    usernames = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
    return [
        RecordedChange(at=event.pgh_created_at, label=event.pgh_label,
                       username=usernames.get((event.pgh_context or {}).get("user")),
                       fields=sorted(set(event.pgh_diff or {}) - ALWAYS_CHANGED))
        for event in events
    ]


def history_visible_to(user, claim: Claim) -> tuple[list[ReviewEvent], list[Correction]]:
    """A claim's review events and corrections. The public sees publication and retraction
    events (without internal comments) and every correction; staff see the whole log."""
    events = ReviewEvent.objects.filter(claim=claim).select_related("actor").order_by("created_at", "id")
    if not sees_private(user):
        events = events.filter(Q(to_status__in=PUBLIC_STATUSES) & ~Q(from_status__in=PUBLIC_STATUSES)
                               | Q(to_status=Claim.Status.RETRACTED))
    corrections = (
        Correction.objects.filter(claim=claim)
        .select_related("old_rating", "new_rating", "created_by")
        .order_by("created_at", "id")
    )
    return list(events), list(corrections)


# --- ClaimReview -----------------------------------------------------------------------------


# Only the columns the markup shows (``claims.claimreview.claim_review``) and the publish gates
# read: the feed builds 100,000 of these, a staff page 50 on every request, and every loaded
# column (datetimes above all) costs parsing time — the readiness of 50 claims took 26 ms with
# whole rows, 20 ms with these, at 1,000,000 claims (docs/benchmarks.md).
MARKUP_CLAIM_FIELDS = (
    "text", "slug", "language", "status", "claim_date", "published_at", "updated_at",
    "rating_explanation", "is_external", "rating__label", "rating__value", "claimant__name",
    "claimant__kind", "claimant__title", "claimant__wikidata_id", "claimant__url",
)


def claim_review_claims() -> QuerySet[Claim]:
    """Our own published reviews with exactly what ``claims.claimreview.claim_review`` reads
    (2 queries: claims, then their evidence — ``MarkupEvidence.FIELDS``). Imported reviews of
    other fact-checkers (``is_external``) are not ours to mark up; retracted claims carry no
    ClaimReview."""
    evidence = (Evidence.objects.select_related("source__outlet")
                .only("claim_id", *MarkupEvidence.FIELDS).order_by("order", "id"))
    return (Claim.objects.filter(status=Claim.Status.PUBLISHED, is_external=False)
            .select_related("rating", "claimant").only(*MARKUP_CLAIM_FIELDS)
            .prefetch_related(Prefetch("evidence", queryset=evidence)))


def claim_review_batches(*, batch_size: int) -> Iterator[list[Claim]]:
    """Every claim of ``claim_review_claims()`` by ascending id, ``batch_size`` at a time (keyset
    on id: 2 queries a batch, one batch in memory at once, whatever the number of claims)."""
    last_id = 0
    while True:
        batch = list(claim_review_claims().filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if batch:
            yield batch
        if len(batch) < batch_size:
            return
        last_id = batch[-1].pk


# --- The claim representation, built by PostgreSQL -------------------------------------------
#
# One statement renders whole claim documents as JSON text (json_build_object/json_agg), so a page
# of 50 claims with their evidence, quotes, topics, corrections and relations costs one query and
# no per-object Python; the API splices the texts into the response body. The shape is documented
# in claims/serializers.py (ClaimRepresentation) and must stay in step with it.


def _json_list(select: str) -> str:
    """What ``select`` (one ``json_agg`` over some rows of the claim ``c``) finds, as a JSON array:
    ``[]`` when it finds nothing."""
    return f"COALESCE(({select}), '[]'::json)"


# The lists of a claim document, one sub-select each over the rows of the claim ``c``.
# Timestamps: to_json() gives ISO 8601 in the connection's time zone (UTC), "…+00:00".
CLAIM_TOPICS_SQL = """
SELECT json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.name, t.id)
  FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id
 WHERE ct.claim_id = c.id"""

CLAIM_EVIDENCE_SQL = """
SELECT json_agg(json_build_object(
         'relation', e.relation,
         'note', e.note,
         'source', json_build_object(
             'id', s.id, 'url', s.url, 'title', s.title,
             'outlet', CASE WHEN o.id IS NULL THEN NULL
                            ELSE json_build_object('name', o.name, 'domain', o.domain) END,
             'published_at', to_json(s.published_at)),
         'quote', CASE WHEN q.id IS NULL THEN NULL
                       ELSE json_build_object('id', q.id, 'text', q.text,
                            'speaker', CASE WHEN sp.id IS NULL THEN NULL ELSE
                                       json_build_object('id', sp.id, 'name', sp.name) END) END
       ) ORDER BY e."order", e.id)
  FROM claims_evidence e
  JOIN sources_source s ON s.id = e.source_id
  LEFT JOIN sources_outlet o ON o.id = s.outlet_id
  LEFT JOIN sources_quote q ON q.id = e.quote_id
  LEFT JOIN sources_person sp ON sp.id = q.speaker_id
 WHERE e.claim_id = c.id"""

CLAIM_CORRECTIONS_SQL = """
SELECT json_agg(json_build_object(
         'kind', k.kind, 'note', k.note,
         'old_rating', ro.slug, 'new_rating', rn.slug,
         'created_at', to_json(k.created_at)) ORDER BY k.created_at, k.id)
  FROM claims_correction k
  LEFT JOIN claims_rating ro ON ro.id = k.old_rating_id
  LEFT JOIN claims_rating rn ON rn.id = k.new_rating_id
 WHERE k.claim_id = c.id"""

# Both directions; the public sees only the related claims that are public.
CLAIM_RELATIONS_SQL = """
SELECT json_agg(json_build_object(
         'kind', rel.kind, 'direction', rel.direction,
         'claim', json_build_object('id', oc.id, 'slug', oc.slug, 'text', oc.text,
                                    'url', %(api_base)s::text || oc.id || '/'))
       ORDER BY rel.direction DESC, rel.kind, oc.id)
  FROM (SELECT cr.kind, 'out' AS direction, cr.to_claim_id AS other_id
          FROM claims_claimrelation cr WHERE cr.from_claim_id = c.id
        UNION ALL
        SELECT cr.kind, 'in', cr.from_claim_id
          FROM claims_claimrelation cr WHERE cr.to_claim_id = c.id) rel
  JOIN claims_claim oc ON oc.id = rel.other_id
 WHERE %(private)s OR oc.status IN ('published', 'retracted')"""

# The document itself: the claim's fields and the lists above, spliced in (constant fragments).
CLAIM_DOCUMENT_SQL = f"""
SELECT c.id, c.version, c.language_source, json_build_object(
  'id', c.id,
  'slug', c.slug,
  'url', %(api_base)s::text || c.id || '/',
  'public_url', CASE WHEN c.status IN ('published', 'retracted')
                     THEN %(claim_url_prefix)s::text || c.slug || %(claim_url_suffix)s::text END,
  'text', c.text,
  'claimant', CASE WHEN p.id IS NULL THEN NULL
                   ELSE json_build_object('id', p.id, 'slug', p.slug, 'name', p.name) END,
  'claim_date', c.claim_date,
  'language', c.language,
  'topics', {_json_list(CLAIM_TOPICS_SQL)},
  'status', c.status,
  'rating', CASE WHEN r.id IS NULL THEN NULL
                 ELSE json_build_object('slug', r.slug, 'label', r.label, 'value', r.value) END,
  'rating_explanation', c.rating_explanation,
  'analysis', c.analysis,
  'evidence', {_json_list(CLAIM_EVIDENCE_SQL)},
  'corrections', {_json_list(CLAIM_CORRECTIONS_SQL)},
  'relations', {_json_list(CLAIM_RELATIONS_SQL)},
  'review', json_build_object(
      'origin', CASE WHEN c.is_external THEN 'external' ELSE 'own' END,
      'publisher', CASE WHEN c.is_external
                        THEN json_build_object('name', c.external_publisher_name,
                                               'site', c.external_publisher_site)
                        ELSE json_build_object('name', %(publisher_name)s::text,
                                               'site', %(publisher_site)s::text) END,
      'url', CASE WHEN c.is_external THEN c.external_review_url
                  WHEN c.status IN ('published', 'retracted')
                  THEN %(claim_url_prefix)s::text || c.slug || %(claim_url_suffix)s::text END,
      'reviewed_at', to_json(CASE WHEN c.is_external THEN c.external_reviewed_at
                                  ELSE c.published_at END)),
  'published_at', to_json(c.published_at),
  'updated_at', to_json(c.updated_at),
  'version', c.version
)::text
FROM claims_claim c
LEFT JOIN sources_person p ON p.id = c.claimant_id
LEFT JOIN claims_rating r ON r.id = c.rating_id
WHERE c.id = ANY(%(ids)s) AND (%(private)s OR c.status IN ('published', 'retracted'))
"""  # noqa: S608 (constant fragments; every value is a parameter)


def _run_claim_documents(ids: list[int], user) -> dict[int, tuple[int, str]]:
    """Staff also get each claim's ``language_source`` and ``publish_problems`` (spliced into the
    document: three more queries, whatever the number of claims)."""
    private = sees_private(user)
    params = {
        "ids": list(ids),
        "private": private,
        "api_base": f"{settings.SITE_URL}/api/v1/claims/",
        # Claim.canonical_url's parts (CLAIM_PATH), so SQL and Python build the same URL.
        "claim_url_prefix": settings.SITE_URL + CLAIM_PATH.split("{slug}")[0],
        "claim_url_suffix": CLAIM_PATH.split("{slug}")[1],
        # Whose review (``review.publisher`` of our own claims): ClaimReview's author.
        "publisher_name": settings.PUBLISHER.get("name", ""),
        "publisher_site": our_publisher_site(),
    }
    # Prepared: planning this statement cost 2 ms of its 9 for 50 claims at 1,000,000 claims.
    with read_cursor(Claim, prepared=True) as cursor:
        cursor.execute(CLAIM_DOCUMENT_SQL, params)
        rows = cursor.fetchall()
    if not private:
        return {pk: (version, document) for pk, version, _, document in rows}
    # Staff also see where the language came from (given, detected, default): desk metadata.
    problems = publish_problems_by_id([row[0] for row in rows]) if rows else {}
    return {pk: (version, _with_field(_with_field(document, "language_source", language_source),
                                      "publish_problems", problems.get(pk, [])))
            for pk, version, language_source, document in rows}


def _with_field(document: str, name: str, value) -> str:
    """A JSON object's text with one more member (``document`` ends with its closing brace)."""
    return f'{document[:-1]}, "{name}" : {orjson.dumps(value).decode()}}}'



def claim_documents(ids: list[int], user) -> list[str]:
    """The JSON texts of the claims ``ids`` that ``user`` may see, in the order of ``ids``.

    One query whatever the number of claims. Related claims a public viewer may not see are left
    out of ``relations``.
    """
    if not ids:
        return []
    by_id = _run_claim_documents(ids, user)
    return [by_id[pk][1] for pk in ids if pk in by_id]


def claim_document(pk: int, user) -> tuple[int, str] | None:
    """``(version, JSON text)`` of one claim if ``user`` may see it, else None. One query."""
    return _run_claim_documents([pk], user).get(pk)
