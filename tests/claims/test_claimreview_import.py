"""Importing ClaimReview and claims:search JSON (claims/claimreview_import.py, import_claimreview)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pghistory.models
import pytest
from django.core.management import CommandError, call_command

from claims.claimreview_import import ClaimReviewError, claimreview_import
from claims.demo import ARTICLE_URL, ensure_people
from claims.models import Claim, Correction, Evidence, Rating, ReviewEvent
from factcheck.actors import SYSTEM
from sources.fetch import allow_loopback_for_tests
from sources.models import Person, Source
from sources.urls_normalize import normalize_url

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FEED = (FIXTURES / "claimreview-feed.json").read_text(encoding="utf-8")
PAGE = (FIXTURES / "claimreview-page.html").read_text(encoding="utf-8")
SEARCH = (FIXTURES / "claims-search-response.json").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def test_feed_with_several_reviews_becomes_published_external_claims():
    result = claimreview_import(actor=SYSTEM, content=FEED)

    assert len(result.created) == 3 and result.unchanged == []
    troops = Claim.objects.get(external_review_url="https://checks.example/reviews/troops-offer/")
    assert troops.status == "published" and troops.is_external
    assert troops in Claim.objects.public()
    assert troops.external_publisher_name == "Example Checks"
    assert troops.external_publisher_site == "checks.example"
    assert troops.rating.slug == "true"
    assert troops.rating_explanation == "Both governments confirmed the calls."
    assert troops.claimant.name == "Claudia Sheinbaum"
    assert str(troops.claim_date) == "2025-05-03"
    # The other fact-checker's review date is kept as such; published_at is when we listed it.
    assert troops.external_reviewed_at.isoformat() == "2025-05-05T00:00:00+00:00"
    assert troops.published_at > troops.external_reviewed_at
    assert sorted(troops.evidence.values_list("source__url", "relation")) == [
        ("https://news.example/mexico-troops", "appearance"), (ARTICLE_URL, "appearance"),
    ]
    assert ReviewEvent.objects.filter(claim=troops, to_status="published").exists()

    wall = Claim.objects.get(text="Mexico paid for the border wall.")
    assert wall.claimant.kind == Person.Kind.ORGANIZATION
    assert wall.rating.label == "Pants on Fire" and wall.rating.value is None  # new, non-ordinal
    assert wall.evidence.get().source.url == "https://social.example/posts/123"
    drones = Claim.objects.get(external_review_url="https://checks.example/reviews/drones")
    assert drones.rating.slug == "false"  # matched by label, whatever its case
    assert [r.label for r in result.ratings_created] == ["Pants on Fire"]


def test_importing_the_same_file_twice_changes_nothing():
    claimreview_import(actor=SYSTEM, content=FEED)
    counts = (Claim.objects.count(), Person.objects.count(), Source.objects.count(),
              Rating.objects.count(), Evidence.objects.count(), pghistory.models.Events.objects.count())

    again = claimreview_import(actor=SYSTEM, content=FEED)

    assert again.created == [] and len(again.unchanged) == 3
    assert (Claim.objects.count(), Person.objects.count(), Source.objects.count(),
            Rating.objects.count(), Evidence.objects.count(),
            pghistory.models.Events.objects.count()) == counts


def test_reimport_of_a_changed_review_updates_the_claim_and_records_a_rating_change():
    claimreview_import(actor=SYSTEM, content=FEED)
    feed = json.loads(FEED)
    changed = feed["dataFeedElement"][0]["item"][0]
    url = normalize_url(changed["url"])
    claim = Claim.objects.get(external_review_url=url)
    old_rating, old_version = claim.rating, claim.version
    changed["reviewRating"] = {**changed["reviewRating"], "alternateName": "Mostly false",
                               "ratingExplanation": "One of the two calls was denied."}

    result = claimreview_import(actor=SYSTEM, content=json.dumps(feed))

    assert [(c.pk, changes) for c, changes in result.updated] == [
        (claim.pk, [f"rating {old_rating.label} → Mostly false", "new rating explanation"])
    ]
    assert result.created == [] and len(result.unchanged) == 2
    claim.refresh_from_db()
    assert claim.version > old_version
    assert claim.rating.slug == "mostly-false"
    assert claim.rating_explanation == "One of the two calls was denied."
    correction = Correction.objects.get(claim=claim)
    assert correction.kind == Correction.Kind.RATING_CHANGE
    assert (correction.old_rating, correction.new_rating) == (old_rating, claim.rating)
    assert url in correction.note and "Mostly false" in correction.note
    # Reading the old file again changes the verdict back: reported as such, not silently skipped.
    out = StringIO()
    call_command("import_claimreview", str(FIXTURES / "claimreview-feed.json"), stdout=out)
    assert Claim.objects.get(pk=claim.pk).rating == old_rating
    assert "1 changed since the last import" in out.getvalue()
    assert f"Updated (recorded as a correction): {url}" in out.getvalue()


def test_reimport_of_a_reworded_review_records_an_update():
    claimreview_import(actor=SYSTEM, content=SEARCH)
    search = json.loads(SEARCH)
    search["claims"][0]["text"] = "A reworded claim about the drones."
    urls = {normalize_url(review["url"]) for review in search["claims"][0]["claimReview"]}

    result = claimreview_import(actor=SYSTEM, content=json.dumps(search))

    assert {claim.external_review_url: changes for claim, changes in result.updated} == {
        url: ["claim reworded"] for url in urls
    }
    for url in urls:
        claim = Claim.objects.get(external_review_url=url)
        assert claim.text == "A reworded claim about the drones."
        assert Correction.objects.get(claim=claim).kind == Correction.Kind.UPDATE
    again = claimreview_import(actor=SYSTEM, content=json.dumps(search))
    assert again.updated == [] and Correction.objects.count() == len(urls)


def test_known_people_are_matched_by_name_and_alias():
    people = ensure_people()
    result = claimreview_import(actor=SYSTEM, content=FEED)
    assert Claim.objects.get(text__startswith="U.S. drones").claimant == people["donald-trump"]
    assert Claim.objects.get(text__startswith="Trump offered").claimant == people["claudia-sheinbaum"]
    assert [p.name for p in result.people_created] == ["Wall Fund Committee"]


def test_html_page_with_embedded_json_ld():
    result = claimreview_import(actor=SYSTEM, content=PAGE)
    claim = result.created[0]
    assert len(result.created) == 1
    assert claim.text == "México pagó por el muro fronterizo."
    assert claim.language == "es"
    assert claim.rating.label == "Falso" and claim.rating.value is None
    assert claim.external_publisher_site == "verifica.example"
    assert claim.evidence.get().source.url == "https://video.example/watch?v=abc"


def test_claims_search_response():
    result = claimreview_import(actor=SYSTEM, content=SEARCH)
    assert len(result.created) == 3
    drones = Claim.objects.get(external_review_url="https://otherchecker.example/2025/05/drone-flights")
    assert (drones.external_publisher_name, drones.external_publisher_site) == (
        "Other Checker", "otherchecker.example"
    )
    assert drones.rating.slug == "unproven"
    assert drones.claimant.name == "Claudia Sheinbaum"
    assert str(drones.claim_date) == "2025-05-03"
    third = Claim.objects.get(external_review_url="https://third.example/checks/drones")
    assert third.rating.label == "Needs context"
    assert Claim.objects.get(text__startswith="Mexico deployed").rating.slug == "mostly-true"


def _review(**changes) -> dict:
    review = json.loads(FEED)["dataFeedElement"][2]
    review.update(changes)
    return review


@pytest.mark.parametrize(("content", "expected"), [
    ("", "the input is empty"),
    ("{not json", "not valid JSON (line 1"),
    ('{"@type": "NewsArticle", "headline": "x"}', "no ClaimReview"),
    ("<html><body>No markup</body></html>", "has no JSON-LD"),
    ('<html><script type="application/ld+json">{oops</script></html>', "script 1: not valid JSON"),
    (json.dumps(_review(claimReviewed="")), "$: 'claimReviewed' is missing"),
    (json.dumps(_review(url="ftp://checks.example/x")), "$: 'url' is not an http(s) URL"),
    (json.dumps(_review(reviewRating={})), "'reviewRating.alternateName' (the verdict) is missing"),
    (json.dumps(_review(datePublished="yesterday")), "'datePublished' is not a date"),
    (json.dumps({"claims": [{"text": "x"}]}), "$.claims[0]: the claim has no 'claimReview'"),
    (json.dumps({"claims": [{"text": "x", "claimReview": [{"url": "https://a.example/"}]}]}),
     "$.claims[0].claimReview[0]: 'publisher' is missing"),
])
def test_broken_input_is_refused_with_a_message_naming_the_problem(content, expected):
    with pytest.raises(ClaimReviewError) as error:
        claimreview_import(actor=SYSTEM, content=content)
    assert expected in error.value.message
    assert error.value.message.startswith("Nothing was imported")


def test_one_bad_review_means_nothing_is_imported():
    feed = json.loads(FEED)
    feed["dataFeedElement"].append({"@type": "ClaimReview", "url": "https://checks.example/bad"})
    with pytest.raises(ClaimReviewError) as error:
        claimreview_import(actor=SYSTEM, content=json.dumps(feed))
    assert "$.dataFeedElement[3]: 'claimReviewed' is missing" in error.value.fields["problems"]
    assert not Claim.objects.exists()
    assert not Person.objects.exists() and not Source.objects.exists()
    assert Rating.objects.filter(label="Pants on Fire").count() == 0


def test_command_imports_files_and_reports(tmp_path):
    out = StringIO()
    call_command("import_claimreview", str(FIXTURES / "claimreview-feed.json"), stdout=out)
    assert "Reviews: 3 imported, 0 changed since the last import, 0 already there" in out.getvalue()
    assert "Created non-ordinal rating: Pants on Fire" in out.getvalue()

    out = StringIO()
    call_command("import_claimreview", str(FIXTURES / "claimreview-feed.json"), stdout=out)
    assert "Reviews: 0 imported, 0 changed since the last import, 3 already there" in out.getvalue()

    broken = tmp_path / "broken.json"
    broken.write_text('{"claims": [{"text": "x"}]}')
    with pytest.raises(CommandError, match="has no 'claimReview'"):
        call_command("import_claimreview", str(broken))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_claimreview", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="private or local address"):
        call_command("import_claimreview", "http://10.0.0.1/feed.json")


class _FeedHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        body = SEARCH.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_command_fetches_a_url():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        out = StringIO()
        with allow_loopback_for_tests():
            call_command("import_claimreview", f"http://127.0.0.1:{httpd.server_address[1]}/", stdout=out)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert "Reviews: 3 imported" in out.getvalue()
