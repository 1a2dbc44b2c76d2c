"""ClaimReview (claims/claimreview.py, public/api.py, validate_claimreview): the JSON-LD
parsed out of the claim page and checked field by field; the API serves the same object; the
validator and the publish gate catch broken markup."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from lxml import html

from claims import services
from claims.claimreview import MarkupProblem, claim_review, claim_review_problems
from claims.models import Claim
from claims.services import PublishGateError
from sources.models import Source
from tests import factories

pytestmark = pytest.mark.django_db

SITE = "https://factcheck.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.PUBLISHER = {"name": "Example Checks", "url": SITE, "logo": f"{SITE}/static/factcheck/logo.png"}


def json_ld_of(client, claim: Claim) -> dict:
    tree = html.fromstring(client.get(claim.get_absolute_url()).content)
    scripts = tree.cssselect('script[type="application/ld+json"]')
    assert len(scripts) == 1, "exactly one JSON-LD block"
    return json.loads(scripts[0].text)


def test_claim_page_json_ld_meets_every_rule(client, claim_in):
    claim = claim_in("published")
    claimant = claim.claimant
    claimant.wikidata_id, claimant.url = "Q42", "https://example.org/who"
    claimant.save(update_fields=["wikidata_id", "url"])
    appearance = claim.evidence.get(relation="appearance")
    refutes = claim.evidence.get(relation="refutes")
    claim.refresh_from_db()
    data = json_ld_of(client, claim)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == claim.text
    assert data["url"] == f"{SITE}/claims/{claim.slug}/"
    assert data["author"] == {
        "@type": "Organization", "name": "Example Checks", "url": SITE,
        "logo": {"@type": "ImageObject", "url": f"{SITE}/static/factcheck/logo.png"},
    }
    assert data["datePublished"] == claim.published_at.isoformat().replace("+00:00", "Z")
    assert data["dateModified"] >= data["datePublished"]
    assert data["reviewRating"] == {
        "@type": "Rating", "alternateName": "False", "ratingValue": 1, "bestRating": 5,
        "worstRating": 1, "ratingExplanation": "The figures say otherwise.",
    }
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["datePublished"] == "2025-05-03"
    assert item["author"] == {
        "@type": "Person", "name": claimant.name, "jobTitle": "Spokesperson",
        "sameAs": ["https://www.wikidata.org/wiki/Q42", "https://example.org/who"],
    }
    source = appearance.source
    expected_work = {
        "@type": "CreativeWork", "url": source.url, "headline": source.title,
        "datePublished": source.published_at.isoformat().replace("+00:00", "Z"),
        "publisher": {"@type": "Organization", "name": source.outlet.name},
    }
    assert item["appearance"] == [expected_work]
    assert item["firstAppearance"] == expected_work
    assert [work["url"] for work in data["citation"]] == [source.url, refutes.source.url]
    assert claim_review_problems(data) == []


def test_non_ordinal_rating_and_organization_claimant(client, claim_in):
    organization = factories.PersonFactory(kind="organization", name="Ministry of Truth")
    claim = claim_in("published", rating="misleading", claimant=organization)
    data = json_ld_of(client, claim)
    assert data["reviewRating"]["alternateName"] == "Misleading"
    assert "ratingValue" not in data["reviewRating"] and "bestRating" not in data["reviewRating"]
    assert data["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ministry of Truth"}


def test_json_ld_cannot_break_out_of_its_script_element(client, claim_in):
    claim = claim_in("published", text="Taxes </script><script>alert(1)</script> & more")
    body = client.get(claim.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in body
    assert json_ld_of(client, claim)["claimReviewed"] == claim.text


def test_api_serves_the_same_claimreview_as_the_page(client, claim_in):
    claim = claim_in("published")
    response = client.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert json.loads(response.content) == json_ld_of(client, claim)


@pytest.mark.parametrize("state", ["draft", "in_review", "retracted"])
def test_api_claimreview_is_404_unless_published(client, claim_in, state):
    claim = claim_in(state)
    response = client.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_validator_lists_missing_required_and_recommended_fields():
    problems = claim_review_problems({
        "@type": "ClaimReview", "claimReviewed": "", "url": "/relative/",
        "author": {"name": ""}, "reviewRating": {"ratingValue": 9, "bestRating": 5, "worstRating": 1},
        "itemReviewed": {"@type": "Claim", "appearance": [{"headline": "no url"}]},
    })
    by_field = {(p.field, p.level) for p in problems}
    assert ("claimReviewed", "required") in by_field
    assert ("url", "required") in by_field
    assert ("author.name", "required") in by_field
    assert ("reviewRating.alternateName", "required") in by_field
    assert ("reviewRating.ratingValue", "required") in by_field
    assert ("datePublished", "required") in by_field
    assert ("itemReviewed.author", "required") in by_field
    assert ("itemReviewed.appearance[0].url", "required") in by_field
    assert str(MarkupProblem("url", "required", "x")) == "[required] url: x"


def test_validate_claimreview_reports_a_broken_claim(claim_in, capsys):
    good = claim_in("published", text="Short claim.")
    broken = claim_in("published", text="Another short claim.")
    # Data changed behind the services' back (a bulk update or raw SQL): the claimant is gone and
    # the appearance has no headline.
    Claim.objects.filter(pk=broken.pk).update(claimant=None)
    Source.objects.filter(pk=broken.evidence.get(relation="appearance").source_id).update(title="")
    with pytest.raises(CommandError, match="1 with invalid markup"):
        call_command("validate_claimreview")
    out = capsys.readouterr().out
    assert f"/claims/{broken.slug}/" in out
    assert "itemReviewed.author" in out and "headline" in out
    assert f"/claims/{good.slug}/" not in out


def test_validate_claimreview_passes_when_all_markup_is_valid(claim_in, capsys):
    claim_in("published", text="Short claim.")
    call_command("validate_claimreview")
    assert "Checked 1 published claim(s): 0 with invalid markup." in capsys.readouterr().out


def test_publish_gate_refuses_invalid_claimreview_markup(claim_in, reviewer, settings):
    claim = claim_in("in_review")
    settings.PUBLISHER = {"name": "", "url": SITE, "logo": ""}
    with pytest.raises(PublishGateError) as refused:
        services.claim_publish(claim_id=claim.pk, actor=reviewer)
    missing = refused.value.missing
    assert [m["code"] for m in missing] == ["claimreview"]
    assert "author.name" in missing[0]["message"]
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_publish_gate_keeps_its_own_items_without_duplicating_them(editor):
    claim = factories.ClaimFactory(author=editor, claimant=None, claim_date=None)
    codes = [p["code"] for p in services.publish_problems(claim)]
    assert codes == ["rating", "rating_explanation", "claimant", "claim_date", "appearance", "evidence"]


def test_builder_previews_an_unpublished_claim(claim_in):
    from django.utils import timezone

    claim = claim_in("in_review")
    now = timezone.now()
    data = claim_review(claim, published_at=now)
    assert data["datePublished"] == now.isoformat().replace("+00:00", "Z")
