"""Sources, quotes, people and outlets API (sources/api.py, serializers.py, filters.py)."""

from __future__ import annotations

import pytest

from sources.models import Outlet, Person, Quote, Source
from tests import factories
from tests.api_helpers import assert_error, session_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

SOURCE_KEYS = ["id", "url", "title", "outlet", "byline", "published_at", "language",
               "language_source", "kind", "content_sha256", "retrieved_at", "updated_at"]
QUOTE_KEYS = ["id", "text", "language", "language_source", "rendering_of", "speaker", "source",
              "selector", "anchor_status", "is_candidate", "attribution", "attribution_confidence",
              "variants", "updated_at"]


@pytest.fixture
def published(claim_in):
    return claim_in("published")


def test_source_and_quote_representations(published):
    evidence = published.evidence.select_related("quote", "source").first()
    client = session_client(None)
    source = client.get(f"/api/v1/sources/{evidence.source_id}/").json()
    assert list(source) == SOURCE_KEYS
    assert set(source["outlet"]) == {"id", "name", "domain"}
    quote = client.get(f"/api/v1/quotes/{evidence.quote_id}/").json()
    assert list(quote) == QUOTE_KEYS
    assert list(quote["selector"]) == ["exact", "prefix", "suffix", "start", "end"]
    assert quote["selector"]["exact"] == evidence.quote.text
    assert quote["speaker"]["slug"] == evidence.quote.speaker.slug


def test_quote_variants_show_only_visible_quotes(published, editor):
    quote = published.evidence.exclude(quote=None).first().quote
    public_variant = factories.QuoteFactory(text="they said it another way")
    factories.EvidenceFactory(claim=published, source=public_variant.source, quote=public_variant,
                              relation="context")
    private_variant = factories.QuoteFactory(text="a private rewording")
    quote.variants.add(public_variant, private_variant)
    body = session_client(None).get(f"/api/v1/quotes/{quote.pk}/").json()
    assert [v["id"] for v in body["variants"]] == [public_variant.pk]
    staff = session_client(editor).get(f"/api/v1/quotes/{quote.pk}/").json()
    assert {v["id"] for v in staff["variants"]} == {public_variant.pk, private_variant.pk}


def test_editor_confirms_a_candidate_quote(editor):
    quote = factories.QuoteFactory(is_candidate=True)
    client = session_client(editor)
    etag = client.get(f"/api/v1/quotes/{quote.pk}/")["ETag"]
    response = client.patch(f"/api/v1/quotes/{quote.pk}/", {"is_candidate": False}, format="json",
                            HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["is_candidate"] is False
    assert Quote.objects.get(pk=quote.pk).is_candidate is False


def test_create_source_quote_person_outlet_through_services(editor):
    client = session_client(editor)
    person = client.post("/api/v1/people/", {"name": "Ada Speaker", "aliases": ["Ada"]}, format="json")
    assert person.status_code == 201 and person.json()["slug"] == "ada-speaker"
    source = client.post("/api/v1/sources/", {
        "url": "https://Example.org/story?utm_source=x", "content": 'She said "we will win" today.',
        "title": "Story"}, format="json")
    assert source.status_code == 201, source.content
    body = source.json()
    assert body["url"] == "https://example.org/story"
    assert body["outlet"]["domain"] == "example.org" and len(body["content_sha256"]) == 64
    quote = client.post("/api/v1/quotes/", {"source": body["id"], "speaker": person.json()["id"],
                                            "text": "we will win"}, format="json")
    assert quote.status_code == 201
    assert quote.json()["anchor_status"] == "anchored" and quote.json()["selector"]["start"] == 10
    outlet = client.post("/api/v1/outlets/", {"domain": "WWW.Other.example", "name": "Other"}, format="json")
    assert outlet.status_code == 201 and outlet.json()["domain"] == "other.example"
    assert_error(client.post("/api/v1/outlets/", {"domain": "other.example"}, format="json"), 400)


def test_source_computed_fields_cannot_be_written(editor):
    source = factories.SourceFactory()
    client = session_client(editor)
    etag = client.get(f"/api/v1/sources/{source.pk}/")["ETag"]
    error = assert_error(client.patch(f"/api/v1/sources/{source.pk}/", {"content_sha256": "0" * 64},
                                      format="json", HTTP_IF_MATCH=etag), 400)
    assert "content_sha256" in error["fields"]
    assert Source.objects.get(pk=source.pk).content_sha256 == source.content_sha256


def test_update_person_and_outlet_with_if_match(editor):
    person = factories.PersonFactory()
    outlet = factories.OutletFactory()
    client = session_client(editor)
    for path, body in ((f"/api/v1/people/{person.pk}/", {"title": "Governor"}),
                       (f"/api/v1/outlets/{outlet.pk}/", {"country": "MX"})):
        assert_error(client.patch(path, body, format="json"), 428)
        response = client.patch(path, body, format="json", HTTP_IF_MATCH=client.get(path)["ETag"])
        assert response.status_code == 200, response.content
    assert Person.objects.get(pk=person.pk).title == "Governor"
    assert Outlet.objects.get(pk=outlet.pk).country == "MX"


def test_filters(published, editor):
    evidence = (published.evidence.exclude(quote=None)
                .select_related("quote__speaker", "source__outlet").first())
    source, quote = evidence.source, evidence.quote
    client = session_client(None)

    def ids(resource, query):
        response = client.get(f"/api/v1/{resource}/?{query}")
        assert response.status_code == 200, (resource, query, response.content)
        return {item["id"] for item in response.json()["results"]}

    assert ids("sources", f"url={source.url}") == {source.pk}
    assert source.pk in ids("sources", f"outlet={source.outlet.domain}")
    assert source.pk in ids("sources", "kind=article&language=en")
    assert source.pk in ids("sources", "published_after=2000-01-01&published_before=2999-01-01")
    assert source.pk in ids("sources", f"q={source.title}")
    assert ids("quotes", f"speaker={quote.speaker.slug}") == {quote.pk}
    assert ids("quotes", f"source={source.pk}") == {quote.pk}
    assert quote.pk in ids("quotes", "anchor_status=anchored&is_candidate=false")
    assert ids("quotes", f"q={quote.text[:12]}") == {quote.pk}
    assert quote.speaker.pk in ids("people", f"q={quote.speaker.name}")
    assert source.outlet.pk in ids("outlets", f"q={source.outlet.domain}")
    for query in ("kind=poem", "outlet=nowhere.example", "published_after=never", "url=ftp://x"):
        assert_error(client.get(f"/api/v1/sources/?{query}"), 400)
    for query in ("speaker=nobody-at-all", "anchor_status=lost", "is_candidate=maybe", "q=a"):
        assert_error(client.get(f"/api/v1/quotes/?{query}"), 400)


def test_relation_filters_do_not_reveal_private_ids(claim_in, editor):
    """A speaker, source or outlet only a draft cites answers like a missing one (400) for the
    public, and filters normally for staff."""
    draft = claim_in("draft")
    private = draft.evidence.exclude(quote=None).select_related("quote", "source__outlet").first()
    speaker, source, outlet = private.quote.speaker, private.source, private.source.outlet
    anonymous, staff = session_client(None), session_client(editor)
    cases = [  # (resource, parameter, private value, value of nothing at all)
        ("quotes", "speaker", speaker.slug, "nobody-at-all"),
        ("quotes", "speaker", speaker.pk, 999999999),
        ("quotes", "source", source.pk, 999999999),
        ("sources", "outlet", outlet.domain, "nowhere.example"),
    ]
    for resource, parameter, private_value, missing_value in cases:
        query, missing = f"{parameter}={private_value}", f"{parameter}={missing_value}"
        private_error = assert_error(anonymous.get(f"/api/v1/{resource}/?{query}"), 400, "unknown_value")
        missing_error = assert_error(anonymous.get(f"/api/v1/{resource}/?{missing}"), 400, "unknown_value")
        assert set(private_error["fields"]) == set(missing_error["fields"]), query
        response = staff.get(f"/api/v1/{resource}/?{query}")
        assert response.status_code == 200 and response.json()["results"], (query, response.content)


@pytest.mark.parametrize("resource", ["sources", "quotes", "people", "outlets", "topics", "ratings"])
def test_list_query_count_is_constant(resource, editor, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import bring_to, make_ready_claim

    for _ in range(3):
        claim = bring_to(make_ready_claim(editor), "published", author=editor, reviewer=reviewer)
        quote = claim.evidence.exclude(quote=None).first().quote
        quote.variants.add(factories.QuoteFactory())
        claim.topics.add(factories.TopicFactory())
    client = session_client(None)
    counts = []
    for n in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/{resource}/?page_size={n}")
        assert len(response.json()["results"]) == n
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3


def test_detail_query_counts(published, django_assert_max_num_queries):
    evidence = published.evidence.exclude(quote=None).first()
    evidence.quote.variants.add(factories.QuoteFactory())
    client = session_client(None)
    paths = {
        f"/api/v1/sources/{evidence.source_id}/": 1,
        f"/api/v1/quotes/{evidence.quote_id}/": 3,  # the quote, its variant links, the visible variants
        f"/api/v1/people/{published.claimant_id}/": 1,
        f"/api/v1/outlets/{evidence.source.outlet_id}/": 1,
        f"/api/v1/evidence/{evidence.pk}/": 1,
        f"/api/v1/ratings/{published.rating_id}/": 1,
        f"/api/v1/claims/{published.pk}/history/": 3,
    }
    for path, budget in paths.items():
        with django_assert_max_num_queries(budget):
            assert client.get(path).status_code == 200, path


def test_a_source_publication_date_alone_is_that_day_at_midnight_utc(editor):
    client = session_client(editor)
    response = client.post("/api/v1/sources/", {"url": "https://example.org/dated", "content": "Text.",
                                                 "published_at": "2025-01-02"}, format="json")
    assert response.status_code == 201, response.content
    stored = Source.objects.get(pk=response.json()["id"]).published_at
    assert stored.isoformat() == "2025-01-02T00:00:00+00:00"
    timed = client.post("/api/v1/sources/", {"url": "https://example.org/timed", "content": "Text.",
                                              "published_at": "2025-01-02T12:00Z"}, format="json")
    assert timed.status_code == 201, timed.content
    assert Source.objects.get(pk=timed.json()["id"]).published_at.isoformat() == "2025-01-02T12:00:00+00:00"
    bad = {"url": "https://example.org/bad", "content": "x", "published_at": "2025-13-02"}
    error = assert_error(client.post("/api/v1/sources/", bad, format="json"), 400)
    assert list(error["fields"]) == ["published_at"]


def test_quotes_take_a_language_and_the_original_they_render(editor, published):
    client = session_client(editor)
    original = factories.QuoteFactory(text="la soberanía no se vende", language="es")
    source = client.post("/api/v1/sources/", {
        "url": "https://example.org/en", "content": "She said “sovereignty is not for sale”."},
        format="json").json()
    assert (source["language"], source["language_source"]) == ("en", "detected")
    body = client.post("/api/v1/quotes/", {
        "source": source["id"], "speaker": original.speaker.pk, "text": "sovereignty is not for sale",
        "language": "en", "rendering_of": original.pk}, format="json").json()
    assert (body["language"], body["language_source"], body["rendering_of"]) == ("en", "given", original.pk)
    etag = client.get(f"/api/v1/quotes/{body['id']}/")["ETag"]
    refused = client.patch(f"/api/v1/quotes/{body['id']}/", {"language": "es"}, format="json",
                           HTTP_IF_MATCH=etag)
    assert_error(refused, 400, "invalid_rendering")
    # The public does not learn of an original no public claim cites.
    quote = published.evidence.exclude(quote=None).first().quote
    quote.rendering_of = original
    quote.save(update_fields=["rendering_of"])
    assert session_client(None).get(f"/api/v1/quotes/{quote.pk}/").json()["rendering_of"] is None
    assert client.get(f"/api/v1/quotes/{quote.pk}/").json()["rendering_of"] == original.pk


def test_an_editor_deletes_an_unused_quote_with_its_etag(editor):
    quote = factories.QuoteFactory()
    client = session_client(editor)
    url = f"/api/v1/quotes/{quote.pk}/"
    assert_error(client.delete(url), 428)
    assert_error(client.delete(url, HTTP_IF_MATCH='"stale"'), 412)
    assert Quote.objects.filter(pk=quote.pk).exists()
    response = client.delete(url, HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 204, response.content
    assert not Quote.objects.filter(pk=quote.pk).exists()
    assert_error(client.get(url), 404)


def test_a_quote_cited_as_evidence_is_not_deleted(published, editor):
    quote = published.evidence.exclude(quote=None).first().quote
    client = session_client(editor)
    url = f"/api/v1/quotes/{quote.pk}/"
    error = assert_error(client.delete(url, HTTP_IF_MATCH=client.get(url)["ETag"]), 409, "quote_in_use")
    assert error["fields"]["claims"] == [{"id": published.pk, "text": published.text}]
    assert Quote.objects.filter(pk=quote.pk).exists()


def test_deleting_quotes_needs_the_role_and_hides_what_the_caller_cannot_see(outsider, editor):
    private = factories.QuoteFactory()  # cited by no public claim: only staff see it
    assert_error(session_client(None).delete(f"/api/v1/quotes/{private.pk}/", HTTP_IF_MATCH="*"), 401)
    assert_error(session_client(outsider).delete(f"/api/v1/quotes/{private.pk}/", HTTP_IF_MATCH="*"), 403)
    missing = session_client(editor).delete("/api/v1/quotes/999999999/", HTTP_IF_MATCH="*")
    assert_error(missing, 404)
    assert Quote.objects.filter(pk=private.pk).exists()
