"""Reads for claims and what hangs off them, with visibility built in.

The public (anonymous users, users without staff status, and — decided by the API — read-scope
tokens of non-staff users) sees only published and retracted claims and what hangs off them:
their evidence, the sources and quotes that evidence cites, the claimants and speakers. Staff
(editors, reviewers, administrators) see everything. A private object is simply absent from
these querysets, so a lookup through them answers 404 exactly as for a missing object.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from claims.models import PUBLIC_STATUSES, Claim, Correction, Evidence, ReviewEvent
from sources.models import Outlet, Person, Quote, Source


def sees_private(user) -> bool:
    """Whether ``user`` may see drafts, claims in review and everything private."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def claims_visible_to(user) -> QuerySet[Claim]:
    """All claims for staff; published and retracted ones for everyone else. Unordered, unplanned:
    callers add their own ``select_related``/ordering (see ``claim_list_rows``)."""
    claims = Claim.objects.all()
    return claims if sees_private(user) else claims.filter(status__in=PUBLIC_STATUSES)


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


# --- The claim representation, built by PostgreSQL -------------------------------------------
#
# One statement renders whole claim documents as JSON text (json_build_object/json_agg), so a page
# of 50 claims with their evidence, quotes, topics, corrections and relations costs one query and
# no per-object Python; the API splices the texts into the response body. The shape is documented
# in claims/serializers.py (ClaimRepresentation) and must stay in step with it.

# Timestamps: to_json() gives ISO 8601 in the connection's time zone (UTC), "…+00:00".
CLAIM_DOCUMENT_SQL = """
SELECT c.id, c.version, json_build_object(
  'id', c.id,
  'slug', c.slug,
  'url', %(api_base)s || c.id || '/',
  'public_url', CASE WHEN c.status IN ('published', 'retracted')
                     THEN %(site_base)s || c.slug || '/' END,
  'text', c.text,
  'claimant', CASE WHEN p.id IS NULL THEN NULL
                   ELSE json_build_object('id', p.id, 'slug', p.slug, 'name', p.name) END,
  'claim_date', c.claim_date,
  'language', c.language,
  'topics', COALESCE((
      SELECT json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.name, t.id)
        FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id
       WHERE ct.claim_id = c.id), '[]'::json),
  'status', c.status,
  'rating', CASE WHEN r.id IS NULL THEN NULL
                 ELSE json_build_object('slug', r.slug, 'label', r.label, 'value', r.value) END,
  'rating_explanation', c.rating_explanation,
  'analysis', c.analysis,
  'evidence', COALESCE((
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
       WHERE e.claim_id = c.id), '[]'::json),
  'corrections', COALESCE((
      SELECT json_agg(json_build_object(
               'kind', k.kind, 'note', k.note,
               'old_rating', ro.slug, 'new_rating', rn.slug,
               'created_at', to_json(k.created_at)) ORDER BY k.created_at, k.id)
        FROM claims_correction k
        LEFT JOIN claims_rating ro ON ro.id = k.old_rating_id
        LEFT JOIN claims_rating rn ON rn.id = k.new_rating_id
       WHERE k.claim_id = c.id), '[]'::json),
  'relations', COALESCE((
      SELECT json_agg(json_build_object(
               'kind', rel.kind, 'direction', rel.direction,
               'claim', json_build_object('id', oc.id, 'slug', oc.slug, 'text', oc.text,
                                          'url', %(api_base)s || oc.id || '/'))
             ORDER BY rel.direction DESC, rel.kind, oc.id)
        FROM (SELECT cr.kind, 'out' AS direction, cr.to_claim_id AS other_id
                FROM claims_claimrelation cr WHERE cr.from_claim_id = c.id
              UNION ALL
              SELECT cr.kind, 'in', cr.from_claim_id
                FROM claims_claimrelation cr WHERE cr.to_claim_id = c.id) rel
        JOIN claims_claim oc ON oc.id = rel.other_id
       WHERE %(private)s OR oc.status IN ('published', 'retracted')), '[]'::json),
  'published_at', to_json(c.published_at),
  'updated_at', to_json(c.updated_at),
  'version', c.version
)::text
FROM claims_claim c
LEFT JOIN sources_person p ON p.id = c.claimant_id
LEFT JOIN claims_rating r ON r.id = c.rating_id
WHERE c.id = ANY(%(ids)s) AND (%(private)s OR c.status IN ('published', 'retracted'))
"""


def _run_claim_documents(ids: list[int], user) -> dict[int, tuple[int, str]]:
    params = {
        "ids": list(ids),
        "private": sees_private(user),
        "api_base": f"{settings.SITE_URL}/api/v1/claims/",
        "site_base": f"{settings.SITE_URL}/claims/",
    }
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_DOCUMENT_SQL, params)
        return {pk: (version, document) for pk, version, document in cursor.fetchall()}


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
