"""The Google Fact Check Tools parameters mean one thing on /api/v1/claims/ and on claims:search
(claims/filters.py: ``language_code_condition``, ``max_age_condition``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from claims.filters import language_code_condition, max_age_condition
from claims.models import Claim
from factcheck.errors import InvalidInput
from tests.api_helpers import assert_error, session_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def listed(query: str) -> set[int]:
    response = session_client(None).get(f"/api/v1/claims/?page_size=100&{query}")
    assert response.status_code == 200, response.content
    return {claim["id"] for claim in response.json()["results"]}


def test_language_code_matches_the_primary_language(claim_in):
    english = claim_in("published", language="en")
    american = claim_in("published", language="en-US")
    spanish = claim_in("published", language="es")
    assert listed("languageCode=en-US") == {english.pk, american.pk}
    assert listed("languageCode=EN") == {english.pk, american.pk}
    assert listed("languageCode=es-MX") == {spanish.pk}
    # language= stays an exact match on the stored code.
    assert listed("language=en") == {english.pk}
    assert set(Claim.objects.filter(language_code_condition("en-GB")).values_list("pk", flat=True)) == {
        english.pk, american.pk}


def test_language_code_that_is_not_bcp47_is_a_400_naming_it(claim_in):
    error = assert_error(session_client(None).get("/api/v1/claims/?languageCode=not%20a%20code"), 400)
    assert error["fields"] == {"languageCode": ["Not a BCP-47 language code."]}
    with pytest.raises(InvalidInput, match="BCP-47"):
        language_code_condition("12")


def test_max_age_counts_the_review_date_or_the_claim_date(claim_in):
    recent_claim = claim_in("published", claim_date=timezone.now().date())
    old = claim_in("published", claim_date=dt.date(2020, 1, 1))
    long_ago = timezone.now() - dt.timedelta(days=30)
    Claim.objects.filter(pk__in=[recent_claim.pk, old.pk]).update(published_at=long_ago)
    assert listed("maxAgeDays=5") == {recent_claim.pk}
    assert set(Claim.objects.filter(max_age_condition(40)).values_list("pk", flat=True)) == {
        recent_claim.pk, old.pk}
