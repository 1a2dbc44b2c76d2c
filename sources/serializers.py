"""Sources API: output as plain dict functions (fast, no per-row queries: callers select/prefetch
what they read) and input serializers for validation only (writes go through sources.services)."""

from __future__ import annotations

from rest_framework import serializers

from factcheck.api.serializers import IdOrSlugRelatedField, ModelShape
from factcheck.api.serializers import StrictInputSerializer as BaseStrictInputSerializer
from sources.language import LANGUAGE_SOURCE_CHOICES
from sources.models import Outlet, Person, Quote, Source

# Keys that no client may set (computed, or owned by the workflow).
PROTECTED_FIELDS = ("id", "content_sha256", "retrieved_at", "created_at", "updated_at", "exact",
                    "prefix", "suffix", "start", "end", "anchor_status", "selector", "slug")


def _iso(value):
    return value.isoformat() if value is not None else None


def outlet_ref(outlet: Outlet | None) -> dict | None:
    if outlet is None:
        return None
    return {"id": outlet.pk, "name": outlet.name, "domain": outlet.domain}


def outlet_dict(outlet: Outlet) -> dict:
    return {"id": outlet.pk, "name": outlet.name, "domain": outlet.domain,
            "homepage_url": outlet.homepage_url, "country": outlet.country,
            "language": outlet.language, "updated_at": _iso(outlet.updated_at)}


def person_dict(person: Person) -> dict:
    return {"id": person.pk, "slug": person.slug, "name": person.name, "kind": person.kind,
            "title": person.title, "country": person.country, "wikidata_id": person.wikidata_id,
            "aliases": list(person.aliases), "url": person.url, "is_candidate": person.is_candidate,
            "updated_at": _iso(person.updated_at)}


def source_dict(source: Source) -> dict:
    """Needs ``select_related("outlet")``."""
    return {"id": source.pk, "url": source.url, "title": source.title,
            "outlet": outlet_ref(source.outlet), "byline": source.byline,
            "published_at": _iso(source.published_at), "language": source.language,
            "language_source": source.language_source, "kind": source.kind,
            "content_sha256": source.content_sha256,
            "retrieved_at": _iso(source.retrieved_at), "updated_at": _iso(source.updated_at)}


def quote_dict(quote: Quote, variants: list[Quote], *, rendering_of_visible: bool = True) -> dict:
    """Needs ``select_related("speaker", "source")``; ``variants`` already visibility-filtered;
    ``rendering_of`` is null unless the viewer may see that original (``rendering_of_visible``)."""
    return {
        "id": quote.pk, "text": quote.text,
        "language": quote.language, "language_source": quote.language_source,
        "rendering_of": quote.rendering_of_id if rendering_of_visible else None,
        "speaker": (None if quote.speaker is None else
                    {"id": quote.speaker.pk, "slug": quote.speaker.slug, "name": quote.speaker.name}),
        "source": {"id": quote.source.pk, "url": quote.source.url, "title": quote.source.title},
        "selector": {"exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix,
                     "start": quote.start, "end": quote.end},
        "anchor_status": quote.anchor_status, "is_candidate": quote.is_candidate,
        "attribution": quote.attribution, "attribution_confidence": quote.attribution_confidence,
        "variants": [{"id": v.pk, "text": v.text, "source": {"id": v.source.pk, "url": v.source.url}}
                     for v in variants],
        "updated_at": _iso(quote.updated_at),
    }


class StrictInputSerializer(BaseStrictInputSerializer):
    protected_fields = PROTECTED_FIELDS


class OutletWriteSerializer(StrictInputSerializer):
    domain = serializers.CharField(max_length=253)
    name = serializers.CharField(max_length=200, required=False)
    homepage_url = serializers.URLField(max_length=500, allow_blank=True, required=False)
    country = serializers.CharField(max_length=2, allow_blank=True, required=False)
    language = serializers.CharField(max_length=12, allow_blank=True, required=False)


class PersonWriteSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Person.Kind.choices, required=False)
    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    country = serializers.CharField(max_length=2, allow_blank=True, required=False)
    wikidata_id = serializers.RegexField(r"^(Q[1-9][0-9]{0,15})?$", max_length=20, allow_blank=True,
                                         required=False)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), max_length=50,
                                    required=False)
    url = serializers.URLField(max_length=500, allow_blank=True, required=False)
    is_candidate = serializers.BooleanField(
        required=False, help_text="Set to false to confirm a person an import created.")


class SourceWriteSerializer(StrictInputSerializer):
    url = serializers.URLField(max_length=2000)
    outlet = serializers.PrimaryKeyRelatedField(queryset=Outlet.objects.all(), allow_null=True,
                                                required=False)
    title = serializers.CharField(max_length=500, allow_blank=True, required=False)
    byline = serializers.CharField(max_length=300, allow_blank=True, required=False)
    published_at = serializers.DateTimeField(allow_null=True, required=False)
    language = serializers.CharField(max_length=12, allow_blank=True, required=False)
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False)
    archive_url = serializers.URLField(max_length=2000, allow_blank=True, required=False)
    content = serializers.CharField(max_length=1_000_000, allow_blank=True, required=False,
                                    trim_whitespace=False, help_text="The text snapshot.")


class QuoteUpdateSerializer(StrictInputSerializer):
    """What an edit of a quote may change (a quote stays in its source)."""

    speaker = IdOrSlugRelatedField(queryset=Person.objects.all(), required=False,
                                   help_text="Person id or slug.")
    text = serializers.CharField(max_length=5000, required=False)
    is_candidate = serializers.BooleanField(
        required=False, help_text="True: found by automatic extraction, not yet confirmed by an "
                                  "editor; set it to false to confirm the quote.")
    language = serializers.CharField(
        max_length=12, allow_blank=True, required=False,
        help_text="BCP 47: given, it is kept through later edits. Empty: detected from the text "
                  "(as when absent from a new quote).")
    rendering_of = serializers.PrimaryKeyRelatedField(
        queryset=Quote.objects.all(), allow_null=True, required=False,
        help_text="The original quote these words translate (another language); null: none.")


class QuoteWriteSerializer(QuoteUpdateSerializer):
    """A new quote: its source, its speaker and its words, found in the source's snapshot."""

    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())
    speaker = IdOrSlugRelatedField(queryset=Person.objects.all(), help_text="Person id or slug.")
    text = serializers.CharField(max_length=5000)
    near = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False,
                                    help_text="Pick the occurrence nearest this offset.")


# --- Output shapes, for the OpenAPI schema --------------------------------------------------
# A shape made of a model's own fields names them (ModelShape); the dict functions above produce
# the values.


class SourceOutletRef(ModelShape, model=Outlet, fields=("id", "name", "domain")):
    """An outlet as a source refers to it."""


class OutletSerializer(SourceOutletRef, fields=("homepage_url", "country", "language", "updated_at")):
    """An outlet: a publisher (a newspaper, broadcaster, government site, platform)."""


class QuoteSpeakerRef(ModelShape, model=Person, fields=("id", "slug", "name")):
    """A person as a quote (its speaker) or a claim (its claimant) refers to it."""


class PersonSerializer(QuoteSpeakerRef, fields=("kind", "title", "country", "wikidata_id", "aliases",
                                                "url", "is_candidate", "updated_at")):
    """A speaker or claimant: a person or an organization."""


class QuoteSourceRef(ModelShape, model=Source, fields=("id", "url", "title")):
    """A source as a quote refers to it."""


class SourceSerializer(QuoteSourceRef, fields=("outlet", "byline", "published_at", "language",
                                               "language_source", "kind", "content_sha256",
                                               "retrieved_at", "updated_at")):
    """A document where something was said or reported (its text snapshot is not included)."""

    outlet = SourceOutletRef(allow_null=True)


class QuoteSelector(ModelShape, model=Quote, fields=("exact", "prefix", "suffix", "start", "end")):
    """Where a quote stands in its source's snapshot: a W3C TextQuoteSelector (exact, prefix,
    suffix) and TextPositionSelector (start, end: character offsets)."""


class QuoteVariantSource(ModelShape, model=Source, fields=("id", "url")):
    pass


class QuoteVariant(ModelShape, model=Quote, fields=("id", "text", "source")):
    """The same words quoted in another source."""

    source = QuoteVariantSource()


class QuoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    language = serializers.CharField(help_text="BCP 47 (empty: unknown).")
    language_source = serializers.ChoiceField(choices=LANGUAGE_SOURCE_CHOICES)
    rendering_of = serializers.IntegerField(
        allow_null=True, help_text="The original quote these words translate, if any.")
    speaker = QuoteSpeakerRef(allow_null=True, help_text="null: the import found nobody (needs a speaker).")
    source = QuoteSourceRef()
    selector = QuoteSelector()
    anchor_status = serializers.ChoiceField(choices=Quote.AnchorStatus.choices)
    is_candidate = serializers.BooleanField()
    attribution = serializers.CharField(help_text="How the import found the speaker (empty: typed).")
    attribution_confidence = serializers.FloatField(allow_null=True)
    variants = QuoteVariant(many=True)
    updated_at = serializers.DateTimeField()
