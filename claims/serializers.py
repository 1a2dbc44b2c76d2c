"""Claims API serializers: input serializers (validation only; writes go through services) and
output shapes.

The claim representation on the hot path (lists and detail) is rendered by PostgreSQL
(``claims.selectors.claim_documents``); ``ClaimSerializer`` below documents that exact shape for
the OpenAPI schema and is never used to serialize claims. Keys, in order:

``id``, ``slug``, ``url`` (API URL), ``public_url`` (null unless published/retracted), ``text``,
``claimant`` {id, slug, name} | null, ``claim_date``, ``language``, ``topics`` [{slug, name}]
(by name), ``status``, ``rating`` {slug, label, value} | null, ``rating_explanation``,
``analysis``, ``evidence`` [{relation, note, source {id, url, title, outlet {name, domain} | null,
published_at}, quote {id, text, speaker {id, name} | null} | null}] (by order, id), ``corrections``
[{kind, note, old_rating, new_rating, created_at}] (oldest first; ratings as slugs),
``relations`` [{kind, direction, claim {id, slug, text, url}}], ``review`` {origin (``own`` |
``external``), publisher {name, site}, url, reviewed_at}, ``published_at``, ``updated_at``,
``version``.

``review`` says whose verdict ``rating`` is: ours (``own``; url is our public page, null until
published; reviewed_at our publication) or another fact-checker's imported review (``external``;
url is their original review, reviewed_at their review's date, null when they gave none).

Extra keys beyond the issue's list: ``relations[].direction`` (``out`` when this claim is the
relation's subject, ``in`` otherwise) and the inner shape of ``corrections``. Timestamps are
ISO 8601 in UTC with a ``+00:00`` offset (PostgreSQL's JSON rendering).
"""

from __future__ import annotations

from rest_framework import serializers

from claims.models import Claim, ClaimRelation, Correction, Evidence, Rating, Topic
from claims.workflow import Action
from factcheck.api.serializers import IdOrSlugRelatedField, ModelShape, StrictInputSerializer
from sources.language import LANGUAGE_SOURCE_CHOICES
from sources.models import Outlet, Person, Quote, Source
from sources.serializers import QuoteSourceRef, QuoteSpeakerRef

PROTECTED_CLAIM_FIELDS = ("status", "published_at", "reviewer", "author", "version", "slug", "id")


# --- Claims: input ---------------------------------------------------------------------------


class ClaimWriteSerializer(StrictInputSerializer):
    protected_fields = PROTECTED_CLAIM_FIELDS

    text = serializers.CharField(max_length=2000)
    claimant = IdOrSlugRelatedField(
        queryset=Person.objects.all(), allow_null=True, required=False, help_text="Person id or slug.")
    claim_date = serializers.DateField(allow_null=True, required=False)
    language = serializers.CharField(
        max_length=12, required=False, allow_blank=True,
        help_text="BCP 47, e.g. es. Given, it is kept through later edits; absent on create (or "
                  "empty), it is detected from the text.")
    topics = IdOrSlugRelatedField(
        queryset=Topic.objects.all(), many=True, required=False, help_text="Topic ids or slugs.")
    rating = IdOrSlugRelatedField(
        queryset=Rating.objects.all(), allow_null=True, required=False, help_text="Rating id or slug.")
    rating_explanation = serializers.CharField(max_length=500, allow_blank=True, required=False)
    analysis = serializers.CharField(max_length=50_000, allow_blank=True, required=False)


def workflow_input_serializer(action: Action) -> type[StrictInputSerializer]:
    """The request body of ``action``'s API endpoint, built from its inputs in
    ``claims.workflow`` (a rating by its slug). Unknown keys are refused."""
    fields: dict[str, serializers.Field] = {}
    for spec in action.inputs:
        if spec.kind == "choice":
            fields[spec.name] = serializers.ChoiceField(
                choices=[value for value, _ in spec.choices], required=spec.required,
                help_text=spec.help_text or None)
        elif spec.kind == "rating":
            fields[spec.name] = serializers.SlugRelatedField(
                slug_field="slug", queryset=Rating.objects.all(), allow_null=True, required=False,
                help_text=spec.help_text or "Rating slug.")
        else:
            fields[spec.name] = serializers.CharField(
                max_length=spec.max_length, required=spec.required,
                allow_blank=not spec.required, help_text=spec.help_text or None)
    name = "Claim" + "".join(part.title() for part in action.name.split("_")) + "Serializer"
    return type(name, (StrictInputSerializer,), fields)


class EvidenceWriteSerializer(StrictInputSerializer):
    protected_fields = ("id", "claim")

    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())
    quote = serializers.PrimaryKeyRelatedField(queryset=Quote.objects.all(), allow_null=True,
                                               required=False)
    relation = serializers.ChoiceField(choices=Evidence.Relation.choices)
    note = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class EvidenceCreateSerializer(EvidenceWriteSerializer):
    protected_fields = ("id",)

    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())


# --- Claims: output (schema documentation of the SQL-rendered shape) ------------------------


# A claimant is referred to as a quote's speaker is; its own class keeps its schema component.
class ClaimantRef(QuoteSpeakerRef):
    pass


class EvidenceSpeakerRef(ModelShape, model=Person, fields=("id", "name")):
    pass


class ClaimTopicRef(ModelShape, model=Topic, fields=("slug", "name")):
    pass


class ClaimRatingRef(ModelShape, model=Rating, fields=("slug", "label", "value")):
    pass


class EvidenceOutletRef(ModelShape, model=Outlet, fields=("name", "domain")):
    pass


class EvidenceSourceRef(QuoteSourceRef, fields=("outlet", "published_at")):
    """A source as a claim's evidence refers to it."""

    outlet = EvidenceOutletRef(allow_null=True)


class EvidenceQuoteRef(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    speaker = EvidenceSpeakerRef(allow_null=True)


class EvidenceItemSerializer(serializers.Serializer):
    relation = serializers.ChoiceField(choices=Evidence.Relation.choices)
    note = serializers.CharField()
    source = EvidenceSourceRef()
    quote = EvidenceQuoteRef(allow_null=True)


class CorrectionItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Correction.Kind.choices)
    note = serializers.CharField()
    old_rating = serializers.CharField(allow_null=True, help_text="Rating slug.")
    new_rating = serializers.CharField(allow_null=True, help_text="Rating slug.")
    created_at = serializers.DateTimeField()


class RelatedClaimRef(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField()


class RelationItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClaimRelation.Kind.choices)
    direction = serializers.ChoiceField(choices=["out", "in"])
    claim = RelatedClaimRef()


class ReviewPublisherRef(serializers.Serializer):
    name = serializers.CharField()
    site = serializers.CharField(help_text="Host name, e.g. factcheck.example.org.")


class ClaimReviewRef(serializers.Serializer):
    origin = serializers.ChoiceField(
        choices=["own", "external"],
        help_text="own: our verdict; external: imported from another fact-checker.")
    publisher = ReviewPublisherRef()
    url = serializers.CharField(
        allow_null=True, help_text="Our public page (null until published), or the original review.")
    reviewed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the publisher published the review.")


class PublishProblemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The gate, as in a 409 publish_gate's fields.missing "
                                           "(rating, claim_date, appearance, …).")
    message = serializers.CharField()


class ClaimSerializer(serializers.Serializer):
    """A claim as the API returns it (rendered by ``claims.selectors.claim_documents``)."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    url = serializers.CharField()
    public_url = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    claimant = ClaimantRef(allow_null=True)
    claim_date = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    language_source = serializers.ChoiceField(
        choices=LANGUAGE_SOURCE_CHOICES, required=False,
        help_text="Staff only: given (by an editor, kept), detected from the text, or default.")
    topics = ClaimTopicRef(many=True)
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    rating = ClaimRatingRef(allow_null=True)
    rating_explanation = serializers.CharField()
    analysis = serializers.CharField()
    evidence = EvidenceItemSerializer(many=True)
    corrections = CorrectionItemSerializer(many=True)
    relations = RelationItemSerializer(many=True)
    review = ClaimReviewRef()
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    publish_problems = PublishProblemSerializer(
        many=True, required=False,
        help_text="Staff only (absent for the public): everything that keeps the claim from "
                  "being published now, the items a refused publish (409 publish_gate) lists; "
                  "empty when it may be published. Evidence items also carry the ids they are "
                  "about (evidence, quote, source).")


class ClaimPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ClaimSerializer(many=True)


class HistoryEventSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["review", "correction"])
    at = serializers.DateTimeField()
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    note = serializers.CharField(help_text="Review comment (staff) or public correction note.")
    actor = serializers.CharField(allow_null=True, help_text="Username; staff only, else null.")
    old_rating = serializers.CharField(allow_null=True)
    new_rating = serializers.CharField(allow_null=True)


class HistorySerializer(serializers.Serializer):
    results = HistoryEventSerializer(many=True)


class EvidenceSerializer(serializers.Serializer):
    """An evidence link as a resource (``/api/v1/evidence/``)."""

    id = serializers.IntegerField()
    claim = serializers.IntegerField()
    relation = serializers.ChoiceField(choices=Evidence.Relation.choices)
    note = serializers.CharField()
    order = serializers.IntegerField()
    source = serializers.IntegerField()
    quote = serializers.IntegerField(allow_null=True)
    anchor_override_reason = serializers.CharField(
        help_text="A reviewer's recorded check of a quote not anchored in our snapshot (empty: "
                  "none). Set with POST /api/v1/evidence/{id}/override/.")


class EvidenceOverrideSerializer(StrictInputSerializer):
    """``POST /api/v1/evidence/{id}/override/``: how a reviewer checked the quote."""

    reason = serializers.CharField(
        max_length=2000, help_text='How the words were checked, e.g. "checked against the '
                                   'broadcast recording". Public: shown under the quote.')


class RatingSerializer(serializers.ModelSerializer):
    """Ratings are few and small; a ModelSerializer is fine off the hot path (read and admin write)."""

    class Meta:
        model = Rating
        fields = ["id", "slug", "label", "value", "description", "order"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "slug", "name"]


class TopicWriteSerializer(StrictInputSerializer):
    protected_fields = ("id",)

    name = serializers.CharField(max_length=100)
    slug = serializers.SlugField(max_length=100, required=False)


class RatingWriteSerializer(StrictInputSerializer):
    protected_fields = ("id",)

    label = serializers.CharField(max_length=100)
    slug = serializers.SlugField(max_length=100, required=False)
    value = serializers.IntegerField(min_value=0, max_value=32767, allow_null=True, required=False)
    description = serializers.CharField(max_length=10_000, allow_blank=True, required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
