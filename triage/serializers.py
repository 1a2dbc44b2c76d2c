"""Triage API shapes: the dismiss input, the candidate representation (a plain dict built from a
planned row: no per-row query) and the serializers that document it in the OpenAPI schema.

A candidate: ``{id, text, score, reasons [{code, label, weight}], source {id, url, title, outlet
{name, domain} | null, published_at}, quote {id, text, speaker {id, name}} | null, speaker {id,
slug, name} | null, language, topics [{slug, name}], status, position, start, end,
model_version, claim (id) | null, dismiss_reason, decided_at, url}``; the list and the detail
add ``similar`` [{id, slug, text, status, url, score}], the closest existing claims.
"""

from __future__ import annotations

from rest_framework import serializers

from claims.serializers import ClaimTopicRef, EvidenceOutletRef, EvidenceSpeakerRef
from factcheck.api.serializers import StrictInputSerializer
from triage.models import SentenceCandidate
from triage.selectors import SimilarClaim


class DismissSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=300, help_text="Why the sentence is not worth checking.")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def candidate_dict(candidate: SentenceCandidate) -> dict:
    """A candidate planned by ``triage.selectors.candidates_planned`` as a dict."""
    source, quote, speaker = candidate.source, candidate.quote, candidate.speaker
    outlet = source.outlet
    return {
        "id": candidate.pk,
        "url": f"/api/v1/triage/{candidate.pk}/",
        "text": candidate.text,
        "score": candidate.score,
        "reasons": candidate.reasons,
        "source": {
            "id": source.pk, "url": source.url, "title": source.title,
            "outlet": {"name": outlet.name, "domain": outlet.domain} if outlet else None,
            "published_at": _iso(source.published_at),
        },
        "quote": ({"id": quote.pk, "text": quote.text,
                   "speaker": {"id": quote.speaker.pk, "name": quote.speaker.name}}
                  if quote else None),
        "speaker": ({"id": speaker.pk, "slug": speaker.slug, "name": speaker.name}
                    if speaker else None),
        "language": candidate.language,
        "topics": [{"slug": topic.slug, "name": topic.name} for topic in candidate.topics.all()],
        "status": candidate.status,
        "position": candidate.position,
        "start": candidate.start,
        "end": candidate.end,
        "model_version": candidate.model_version,
        "claim": candidate.claim_id,
        "dismiss_reason": candidate.dismiss_reason,
        "decided_at": _iso(candidate.decided_at),
    }


def similar_dict(item: SimilarClaim) -> dict:
    claim = item.claim
    return {"id": claim.pk, "slug": claim.slug, "text": claim.text, "status": claim.status,
            "url": f"/api/v1/claims/{claim.pk}/", "score": item.score}


# --- Documentation of the shapes (never used to serialize) ------------------------------------


class _ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="number, percentage, money, date, comparison, superlative, "
                                           "change, statistic, causal, factual_verb, attribution, "
                                           "public_figure, named_entity, promise, quotation, policy, "
                                           "question, opinion, greeting, procedure, hedge, "
                                           "first_person_feeling, short")
    label = serializers.CharField(help_text='For people, e.g. "a percentage".')
    weight = serializers.FloatField(help_text="Contribution to the log-odds: > 0 for, < 0 against.")


# The outlet, person and topic references are a claim's (claims.serializers); subclassed so that
# their schema components keep the names they are published under (_Outlet, _PersonRef, _Topic).
class _OutletSerializer(EvidenceOutletRef):
    pass


class _SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    title = serializers.CharField()
    outlet = _OutletSerializer(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class _PersonRefSerializer(EvidenceSpeakerRef):
    pass


class _SpeakerSerializer(_PersonRefSerializer, fields=("slug",)):
    pass


class _QuoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    speaker = _PersonRefSerializer()


class _TopicSerializer(ClaimTopicRef):
    pass


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="This candidate in the API.")
    text = serializers.CharField(help_text="The sentence, as in the source's snapshot.")
    score = serializers.FloatField(help_text="Check-worthiness 0..1; the queue is ordered by it.")
    reasons = _ReasonSerializer(many=True)
    source = _SourceSerializer()
    quote = _QuoteSerializer(allow_null=True, help_text="The source's quote overlapping the sentence.")
    speaker = _SpeakerSerializer(allow_null=True, help_text="The quote's speaker.")
    language = serializers.CharField()
    topics = _TopicSerializer(many=True)
    # Plain text in the schema: an enum named "status" would collide with the claims' one.
    status = serializers.CharField(help_text=" | ".join(SentenceCandidate.Status.values))
    position = serializers.IntegerField(help_text="The sentence's index in the snapshot.")
    start = serializers.IntegerField(help_text="Offset of its first character in the snapshot.")
    end = serializers.IntegerField(help_text="Offset just after its last character.")
    model_version = serializers.IntegerField()
    claim = serializers.IntegerField(allow_null=True, help_text="The draft claim made from it.")
    dismiss_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class TriageSimilarClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    text = serializers.CharField()
    status = serializers.CharField()
    url = serializers.CharField()
    score = serializers.FloatField(help_text="0..1, higher is more similar.")


class CandidateDetailSerializer(CandidateSerializer):
    similar = TriageSimilarClaimSerializer(
        many=True, help_text="The closest existing claims (at most 3): has the desk checked this already?")
