"""ClaimReview markup (claims/claimreview.py): the validator, the publish gate that uses it, and
``manage.py validate_claimreview``, which reads through claims.selectors.claim_review_batches."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

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
    claim = claim_in("in_review")
    now = timezone.now()
    data = claim_review(claim, published_at=now)
    assert data["datePublished"] == now.isoformat().replace("+00:00", "Z")


def test_the_markup_carries_the_claims_language_and_the_validator_checks_it(editor, reviewer):
    from tests.conftest import bring_to, make_ready_claim

    claim = make_ready_claim(editor, text="La soberanía no se negocia", language="es-MX")
    claim = bring_to(claim, "published", author=editor, reviewer=reviewer)
    data = claim_review(claim)
    assert data["inLanguage"] == data["itemReviewed"]["inLanguage"] == "es-MX"
    assert claim_review_problems(data) == []
    data["itemReviewed"]["inLanguage"] = "Spanish"
    assert [p.field for p in claim_review_problems(data)] == ["itemReviewed.inLanguage"]
