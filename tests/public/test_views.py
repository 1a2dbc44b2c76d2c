"""The public pages (public/views.py): what a reader sees of published, corrected and retracted
claims; that drafts and claims in review are 404 everywhere; constant query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html

from claims import services
from claims.models import Claim, ClaimRelation, Evidence
from sources.models import Quote
from tests import factories
from tests.conftest import bring_to, make_ready_claim

pytestmark = pytest.mark.django_db


def page(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return html.fromstring(response.content)


def text_of(tree, selector: str) -> str:
    return " ".join(" ".join(node.itertext()) for node in tree.cssselect(selector)).strip()


def make_public_claim(claim_in, **fields) -> Claim:
    return claim_in("published", **fields)


# --- Claim page -----------------------------------------------------------------------------


def test_published_claim_page_shows_everything_a_reader_needs(client, claim_in, settings):
    settings.SITE_URL = "https://factcheck.example.org"
    claim = claim_in("published", analysis="First paragraph.\n\nSecond paragraph.")
    appearance = claim.evidence.get(relation="appearance")
    appearance.source.archive_url = "https://web.archive.org/web/2025/https://news.example/x"
    appearance.source.save(update_fields=["archive_url"])
    tree = page(client, claim.get_absolute_url())

    assert len(tree.cssselect("h1")) == 1
    assert claim.text in text_of(tree, "h1")
    claimant_link = tree.cssselect(f'.claim__meta a[href="/people/{claim.claimant.slug}/"]')
    assert claimant_link and claimant_link[0].text_content() == claim.claimant.name
    assert "3 May 2025" in text_of(tree, ".claim__meta")
    assert text_of(tree, ".verdict .rating__label") == "False"
    assert "The figures say otherwise." in text_of(tree, ".verdict")
    assert "Second paragraph." in text_of(tree, ".prose")
    assert text_of(tree, "#sources-heading") == "Our sources"
    sources = tree.cssselect(".sources article.source")
    assert len(sources) == 2
    first = sources[0]
    assert appearance.source.outlet.name in text_of(first, ".source__meta")
    assert first.cssselect(f'a[href="{appearance.source.url}"]')
    assert first.cssselect('a[href="https://web.archive.org/web/2025/https://news.example/x"]')
    assert [m.text_content() for m in first.cssselect("blockquote mark")] == [appearance.quote.text]
    assert tree.cssselect('link[rel="canonical"]')[0].get("href") == (
        f"https://factcheck.example.org/claims/{claim.slug}/")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.cssselect("meta")}
    assert meta["og:url"] == f"https://factcheck.example.org/claims/{claim.slug}/"
    assert meta["og:title"] == f"False: {claim.text}"
    assert meta["og:type"] == "article"
    assert meta["twitter:card"] == "summary"
    assert meta["twitter:title"].startswith("False: ")
    assert "Last updated" in text_of(tree, ".claim__footer")
    assert len(tree.cssselect('script[type="application/ld+json"]')) == 1
    assert not tree.cssselect(".notice--retraction") and not tree.cssselect(".corrections-log")


def test_corrected_claim_shows_the_corrections_log_above_the_claim(client, claim_in, other_reviewer):
    claim = claim_in("published")
    services.claim_correct(claim_id=claim.pk, actor=other_reviewer, kind="correction",
                           note="We misstated the year.")
    services.claim_correct(claim_id=claim.pk, actor=other_reviewer, kind="rating_change",
                           note="New figures came out.", new_rating=factories.rating("half-true"))
    response = client.get(claim.get_absolute_url())
    body = response.content.decode()
    tree = html.fromstring(response.content)

    log = text_of(tree, ".corrections-log")
    assert "We misstated the year." in log
    assert "rating changed from False to Half true" in log
    assert body.index("corrections-log") < body.index("<h1")
    # newest first
    assert log.index("New figures came out.") < log.index("We misstated the year.")
    assert text_of(tree, ".verdict .rating__label") == "Half true"


def test_retracted_claim_shows_the_retraction_notice_and_no_claimreview(client, claim_in):
    claim = claim_in("retracted")
    tree = page(client, claim.get_absolute_url())
    assert "This fact check was retracted" in text_of(tree, ".notice--retraction")
    assert "Retracted for testing." in text_of(tree, ".notice--retraction")
    assert not tree.cssselect('script[type="application/ld+json"]')
    assert "withdrawn" in text_of(tree, ".verdict__heading")


def test_retracted_claim_leads_with_retracted_never_the_withdrawn_verdict(client, claim_in):
    claim = claim_in("retracted")  # rated False before the retraction
    tree = page(client, claim.get_absolute_url())
    assert tree.findtext(".//title").startswith(f"Retracted: {claim.text}")
    og_title = tree.cssselect('meta[property="og:title"]')[0].get("content")
    twitter_title = tree.cssselect('meta[name="twitter:title"]')[0].get("content")
    assert og_title == f"Retracted: {claim.text}"
    assert twitter_title.startswith("Retracted: ")
    for meta in ("og:description", "twitter:description"):
        attribute = "property" if meta.startswith("og:") else "name"
        content = tree.cssselect(f'meta[{attribute}="{meta}"]')[0].get("content")
        assert content == "This fact check was retracted; its rating no longer stands."
    assert "False" not in tree.findtext(".//title") + og_title + twitter_title
    # The withdrawn rating's badge is neutral: no verdict colour class.
    badge = tree.cssselect(".verdict .rating")[0]
    assert badge.get("class").split() == ["rating", "rating--withdrawn", "rating--large"]


def test_retracted_claim_card_leads_with_retracted_and_a_neutral_badge(client, claim_in):
    claim = claim_in("retracted")
    tree = page(client, "/")
    card = tree.cssselect(".card--retracted")[0]
    assert " ".join(card.cssselect(".card__rating")[0].text_content().split()).startswith(
        "Retracted rating withdrawn:")
    assert card.cssselect(".rating")[0].get("class").split() == ["rating", "rating--withdrawn"]
    assert not tree.cssselect(".card--retracted .rating--false")
    person = page(client, f"/people/{claim.claimant.slug}/")
    assert person.cssselect(".card--retracted .rating--withdrawn")


def test_claim_text_is_our_wording_not_a_quotation(client, claim_in):
    claim = claim_in("published")
    tree = page(client, claim.get_absolute_url())
    heading = tree.cssselect("h1.claim__text")[0].text_content()
    assert heading == claim.text
    assert not set(heading) & set("“”\"«»„")
    assert not tree.cssselect("h1 q, .claim__header q")
    # The verbatim words are the quotes, which keep their marks.
    assert text_of(tree, ".quote__context, .quote__plain")


@pytest.mark.parametrize("state", ["draft", "in_review"])
def test_private_claims_are_404_on_every_page(client, claim_in, state):
    claim = claim_in(state)
    quote = claim.evidence.get(relation="appearance").quote
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert client.get(f"/people/{claim.claimant.slug}/").status_code == 404
    assert client.get(f"/sources/{quote.source_id}/").status_code == 404
    assert client.get(f"/api/v1/claims/{claim.pk}/claimreview/").status_code == 404
    for url in ["/", "/corrections/", "/feeds/claims.atom", "/feeds/corrections.atom",
                "/sitemap-claims.xml", "/sitemap-people.xml", "/sitemap-sources.xml"]:
        response = client.get(url)
        assert response.status_code == 200
        assert claim.slug not in response.content.decode(), url
        assert claim.text not in response.content.decode(), url


def test_missing_page_is_an_html_404_and_api_404_is_json(client):
    response = client.get("/claims/no-such-claim/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page not found" in response.content.decode()
    api = client.get("/api/v1/claims/999999/claimreview/")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_standalone_error_pages_style_themselves_without_inline_code(template):
    # They render without a request (no CSP nonce), and the policy allows no inline style or
    # script without one: the site's stylesheet is their only style.
    from django.template import loader

    page = loader.get_template(template).render()
    assert "<style" not in page and "<script" not in page and " style=" not in page
    assert 'rel="stylesheet" href="/static/factcheck/site.css"' in page


def test_the_html_500_page_is_served_outside_the_api():
    from public.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_only_anchored_and_drifted_quotes_are_highlighted(client, claim_in, editor, reviewer):
    # Published first: the gates refuse a claim citing unanchored quotes, which happen later
    # (re-imports), so the page must still show them honestly.
    claim = bring_to(make_ready_claim(editor), "published", author=editor, reviewer=reviewer)
    source = factories.SourceFactory(content="Alpha said one. Beta said two. Gamma said three.")
    statuses = {"one": "anchored", "two": "drifted", "three": "orphaned"}
    for word, status in statuses.items():
        start = source.content.index(word)
        quote = factories.QuoteFactory(source=source, text=word, start=start, end=start + len(word),
                                       anchor_status=status, previous_exact=f"old {word}")
        Evidence.objects.create(claim=claim, source=source, quote=quote, relation="context", order=5)
    unverified = factories.QuoteFactory(source=source, text="four", start=None, end=None, prefix="",
                                        suffix="", anchor_status="unverified")
    Evidence.objects.create(claim=claim, source=source, quote=unverified, relation="context", order=6)

    tree = page(client, claim.get_absolute_url())
    marks = [m.text_content() for m in tree.cssselect(".sources mark")]
    assert "one" in marks and "two" in marks
    assert "three" not in marks and "four" not in marks
    assert tree.cssselect("mark.drifted")[0].text_content() == "two"
    assert "old two" in text_of(tree, ".quote__note")
    assert "could not find these exact words" in text_of(tree, ".sources")

    source_page = page(client, f"/sources/{source.pk}/")
    assert sorted(m.text_content() for m in source_page.cssselect(".snapshot mark")) == ["one", "two"]
    assert "three" in text_of(source_page, "main")


def test_claim_page_shows_relations_to_public_claims_only(client, claim_in, editor):
    claim = claim_in("published")
    public_other = claim_in("published")
    private_other = claim_in("draft")
    ClaimRelation.objects.create(from_claim=claim, to_claim=public_other, kind="contradicts")
    ClaimRelation.objects.create(from_claim=private_other, to_claim=claim, kind="same_as")
    tree = page(client, claim.get_absolute_url())
    related = text_of(tree, ".related")
    assert "Contradicts" in related and public_other.text in related
    assert private_other.text not in related


# --- Lists ----------------------------------------------------------------------------------


def test_home_lists_public_claims_newest_first_with_rating_badges(client, claim_in):
    older = claim_in("published")
    retracted = claim_in("retracted")
    draft = claim_in("draft")
    tree = page(client, "/")
    titles = [a.text_content() for a in tree.cssselect(".card__title a")]
    assert titles == [retracted.text, older.text]
    assert draft.text not in titles
    assert text_of(tree, ".card .rating__label").startswith("False")
    assert "Retracted" in text_of(tree, ".card--retracted")
    assert "rating withdrawn" in text_of(tree, ".card--retracted .card__rating")


def test_home_filters_by_rating_topic_and_claimant(client, claim_in):
    topic = factories.TopicFactory(slug="economy", name="Economy")
    false_claim = claim_in("published")
    true_claim = claim_in("published", rating="true")
    true_claim.topics.add(topic)

    def titles(query):
        return [a.text_content() for a in page(client, "/?" + query).cssselect(".card__title a")]

    assert titles("rating=true") == [true_claim.text]
    assert titles("topic=economy") == [true_claim.text]
    assert titles(f"claimant={false_claim.claimant.slug}") == [false_claim.text]
    assert titles("rating=false&topic=economy") == []
    assert titles("rating=%00") == [] and titles("claimant=not%20a%20slug") == []


def test_home_filter_options_are_read_once_per_site_version(client, claim_in, settings,
                                                             django_assert_num_queries):
    settings.FACTCHECK_PAGE_CACHE_SECONDS = 0  # every request renders its page
    topic = factories.TopicFactory(slug="economy", name="Economy")
    claim_in("published", text="The bridge cost twice its budget.").topics.add(topic)

    def options(tree, name):
        return [(option.get("value"), option.get("selected") is not None)
                for option in tree.cssselect(f'select[name="{name}"] option')]

    assert ("economy", False) in options(page(client, "/?q=bridge"), "topic")
    # Another search at the same site version renders its page without reading the options again
    # (the fingerprint, the word lookup, the ranking and the page's claims: 4 queries, not 7; a
    # card shows no topics, so none are read).
    with django_assert_num_queries(4):
        tree = page(client, "/?q=budget&topic=economy")
    assert ("economy", True) in options(tree, "topic")
    assert len(tree.cssselect(".card")) == 1
    # A change the options show moves the site version: the new topic is offered at once.
    later = factories.TopicFactory(slug="health", name="Health")
    claim_in("published", text="The clinic closed.").topics.add(later)
    assert ("health", False) in options(page(client, "/?q=bridge"), "topic")


def test_home_search_uses_the_api_search_and_forgives_misspellings(client, claim_in):
    match = claim_in("published", text="Sovereignty is not for sale, the president said.")
    claim_in("published", text="Inflation doubled in a single year.")
    hidden = claim_in("in_review", text="Sovereignty was sold in secret.")
    for query in ["sovereignty", "soverignty"]:
        tree = page(client, "/?q=" + query)
        assert [a.text_content() for a in tree.cssselect(".card__title a")] == [match.text]
        assert hidden.text not in text_of(tree, "main")
    tree = page(client, "/?q=a")
    assert tree.cssselect('.message--error[role="alert"]')


def test_home_pages_by_keyset_and_refuses_a_forged_cursor(client, claim_in, settings, monkeypatch):
    monkeypatch.setattr("public.selectors.PAGE_SIZE", 2)
    claims = [claim_in("published") for _ in range(5)]
    seen, url = [], "/"
    while url:
        tree = page(client, url)
        seen += [a.text_content() for a in tree.cssselect(".card__title a")]
        next_link = tree.cssselect('a[rel="next"]')
        url = "/" + next_link[0].get("href") if next_link else None
    assert seen == [c.text for c in reversed(claims)]
    assert client.get("/?page=forged").status_code == 404


def test_home_search_lists_the_best_matches_first_or_the_newest_on_request(client, claim_in):
    best = claim_in("published", text="Drones, drones and more drones: drone flights doubled.")
    claim_in("published", text="Inflation doubled in a single year.")
    newer = claim_in("published", text="The budget was cut.", analysis="One drone was mentioned.")

    def titles(url):
        return [a.text_content() for a in page(client, url).cssselect(".card__title a")]

    assert titles("/?q=drones") == [best.text, newer.text]
    assert titles("/?q=drones&sort=newest") == [newer.text, best.text]
    tree = page(client, "/?q=drones")
    assert "best match" in text_of(tree, ".sort")
    assert tree.cssselect('.sort a[href*="sort=newest"]')


def test_home_search_pages_by_relevance_keyset_without_repeats(client, claim_in, monkeypatch):
    monkeypatch.setattr("public.selectors.PAGE_SIZE", 2)
    texts = ["Drones flew.", "Drones, drones flew.", "Drones flew at night.", "Drones drones drones flew.",
             "Drones flew by day."]
    for text in texts:
        claim_in("published", text=text)
    seen, url = [], "/?q=drones"
    while url and len(seen) <= len(texts):  # a repeating cursor would loop forever
        tree = page(client, url)
        seen += [a.text_content() for a in tree.cssselect(".card__title a")]
        next_link = tree.cssselect('a[rel="next"]')
        url = "/" + next_link[0].get("href") if next_link else None
    assert sorted(seen) == sorted(texts) and len(seen) == len(texts)
    assert seen[0] == "Drones drones drones flew."
    assert client.get("/?q=drones&page=forged").status_code == 404


def test_a_search_ranks_its_candidates_before_reading_the_pages_claims(client, claim_in):
    """The ranking statement joins nothing (not the rating, not the claimant, for each of up to
    500 candidates); the page's claims are read by id, with what their cards show."""
    claims = [claim_in("published", text=f"Drones flew {n} times.") for n in range(3)]
    page(client, "/?q=drones")  # the filters' options are read once per site version: not below
    with CaptureQueriesContext(connection) as captured:
        tree = page(client, "/?q=drones&fresh=1")
    titles = sorted(a.text_content() for a in tree.cssselect(".card__title a"))
    assert titles == sorted(c.text for c in claims)
    ranking = [q["sql"] for q in captured.captured_queries if "ts_rank" in q["sql"]]
    assert len(ranking) == 1
    assert "sources_person" not in ranking[0] and "claims_rating" not in ranking[0]
    reads = [q["sql"] for q in captured.captured_queries if '"sources_person"' in q["sql"]]
    assert len(reads) == 1 and "ts_rank" not in reads[0] and "IN (" in reads[0]


def test_person_page_lists_public_claims_and_quotes(client, claim_in):
    claim = claim_in("published")
    person = claim.claimant
    quote = factories.QuoteFactory(speaker=person)
    Evidence.objects.create(claim=claim, source=quote.source, quote=quote, relation="context", order=9)
    private_quote = factories.QuoteFactory(speaker=person, text="Secret words")
    tree = page(client, f"/people/{person.slug}/")
    assert text_of(tree, "h1") == person.name
    assert claim.text in text_of(tree, "main")
    assert quote.text in text_of(tree, "main")
    assert private_quote.text not in text_of(tree, "main")


def test_corrections_page_lists_corrections_and_retractions_newest_first(client, claim_in, other_reviewer):
    corrected = claim_in("published")
    services.claim_correct(claim_id=corrected.pk, actor=other_reviewer, kind="update",
                           note="Added the 2024 figures.")
    retracted = claim_in("retracted")
    tree = page(client, "/corrections/")
    items = tree.cssselect("li.correction")
    assert [text_of(i, ".correction__kind strong") for i in items] == ["Retraction", "Update"]
    assert retracted.text in items[0].text_content()
    assert "Added the 2024 figures." in items[1].text_content()


def test_ratings_page_explains_every_rating(client, claim_in):
    claim_in("published")
    tree = page(client, "/ratings/")
    labels = [n.text_content() for n in tree.cssselect(".scale .rating__label")]
    assert labels[:2] == ["True", "Mostly true"] and "Unproven" in labels
    assert "The statement is not accurate." in text_of(tree, "#rating-false")
    assert "1 fact check rated False" in text_of(tree, "#rating-false")


def test_robots_txt_points_at_the_sitemap(client, settings):
    settings.SITE_URL = "https://factcheck.example.org"
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://factcheck.example.org/sitemap.xml" in body
    assert "Disallow: /admin/" in body


# --- Query counts ---------------------------------------------------------------------------


def test_public_pages_run_a_constant_number_of_queries(client, claim_in, django_assert_num_queries,
                                                        editor, other_reviewer, settings):
    settings.FACTCHECK_PAGE_CACHE_SECONDS = 0  # count the rendering's queries, not the page cache's
    first = claim_in("published")
    services.claim_correct(claim_id=first.pk, actor=other_reviewer, kind="update", note="One.")
    person = first.claimant
    source_id = first.evidence.get(relation="appearance").source_id
    urls = ["/", "/?q=unemployment", "/corrections/", "/ratings/", f"/people/{person.slug}/",
            f"/sources/{source_id}/", first.get_absolute_url(), "/feeds/claims.atom",
            "/feeds/corrections.atom", "/sitemap.xml", "/sitemap-claims.xml"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            result[url] = len(captured)
        return result

    at_one = counts()
    for _ in range(6):
        claim = claim_in("published", claimant=person)
        claim.topics.add(factories.TopicFactory())
        factories.EvidenceFactory(claim=first, source=factories.SourceFactory(), relation="supports")
        quote = factories.QuoteFactory(speaker=person)
        Evidence.objects.create(claim=claim, source=quote.source, quote=quote, relation="context")
        services.claim_correct(claim_id=claim.pk, actor=other_reviewer, kind="update", note="More.")
    assert counts() == at_one
    # And the numbers stay small (fingerprint + page).
    with django_assert_num_queries(at_one[first.get_absolute_url()]):
        client.get(first.get_absolute_url())
    assert max(at_one.values()) <= 10, at_one


# --- Caching --------------------------------------------------------------------------------


def test_public_pages_carry_validators_for_shared_caches(client, claim_in):
    claim = claim_in("published")
    source_id = claim.evidence.get(relation="appearance").source_id
    for url in ["/", "/?q=unemployment", claim.get_absolute_url(), f"/people/{claim.claimant.slug}/",
                f"/sources/{source_id}/", "/corrections/", "/ratings/", "/feeds/claims.atom",
                "/feeds/corrections.atom", "/sitemap.xml", "/sitemap-claims.xml",
                f"/api/v1/claims/{claim.pk}/claimreview/", "/api/v1/claims:search?query=unemployment",
                "/api/v1/claimreview/feed/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["ETag"].startswith('W/"')
        assert response["Last-Modified"]
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "s-maxage=" in cache_control, url
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, url
        assert again.content == b""
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert since.status_code == 304, url


def test_a_304_renders_nothing(client, claim_in, django_assert_num_queries):
    claim = claim_in("published")
    etag = client.get(claim.get_absolute_url())["ETag"]
    with django_assert_num_queries(1):
        assert client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_edit_correction_retraction_and_publication_change_the_validators(
        client, claim_in, reviewer, other_reviewer):
    claim = claim_in("published")
    url = claim.get_absolute_url()

    def etags():
        return client.get(url)["ETag"], client.get("/")["ETag"]

    seen = [etags()]
    services.claim_update(claim_id=claim.pk, actor=reviewer, analysis="Edited after publication.")
    seen.append(etags())
    services.claim_correct(claim_id=claim.pk, actor=other_reviewer, kind="correction", note="Fixed.")
    seen.append(etags())
    claim_in("published")  # another publication changes the home page
    seen.append((seen[-1][0], client.get("/")["ETag"]))
    services.claim_retract(claim_id=claim.pk, actor=reviewer, note="Withdrawn.")
    seen.append(etags())
    assert len({page_etag for page_etag, _ in seen[:3] + seen[4:]}) == 4
    assert len({home for _, home in seen}) == 5
    stale = client.get(url, HTTP_IF_NONE_MATCH=seen[0][0])
    assert stale.status_code == 200


def test_source_edit_changes_the_claim_page_validator(client, claim_in):
    claim = claim_in("published")
    before = client.get(claim.get_absolute_url())["ETag"]
    source = claim.evidence.get(relation="appearance").source
    source.title = "A better title"
    source.updated_at = timezone.now() + dt.timedelta(seconds=1)
    source.save(update_fields=["title", "updated_at"])
    assert client.get(claim.get_absolute_url())["ETag"] != before


def test_orphaned_quote_shows_without_highlight_on_the_person_page(client, claim_in):
    claim = claim_in("published")
    quote = claim.evidence.get(relation="appearance").quote
    Quote.objects.filter(pk=quote.pk).update(anchor_status="orphaned")
    tree = page(client, f"/people/{quote.speaker.slug}/")
    link = tree.cssselect(".quote figcaption a")[0].get("href")
    assert link == f"/sources/{quote.source_id}/"


def test_claimant_and_rating_scale_edits_change_the_validators(client, claim_in):
    claim = claim_in("published")
    urls = [claim.get_absolute_url(), "/", "/ratings/"]
    before = {url: client.get(url)["ETag"] for url in urls}
    person = claim.claimant
    person.title = "Former spokesperson"
    person.updated_at = timezone.now() + dt.timedelta(seconds=1)
    person.save(update_fields=["title", "updated_at"])
    after_person = {url: client.get(url)["ETag"] for url in urls}
    assert all(after_person[url] != before[url] for url in urls)
    rating = factories.rating("false")
    rating.description = "Not accurate at all."
    rating.save(update_fields=["description"])
    after_rating = {url: client.get(url)["ETag"] for url in urls}
    assert all(after_rating[url] != after_person[url] for url in urls)


def test_a_claims_public_url_is_the_same_everywhere(client, claim_in, settings):
    """One source (claims.models.CLAIM_PATH): the URL route, the page's canonical link, the
    ClaimReview and the API's SQL-built ``public_url`` agree."""
    settings.SITE_URL = "https://factcheck.example.org"
    claim = claim_in("published")
    assert claim.canonical_url == f"https://factcheck.example.org/claims/{claim.slug}/"
    assert reverse("public:claim", kwargs={"slug": claim.slug}) == claim.get_absolute_url()
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="{claim.canonical_url}">' in page
    assert client.get(f"/api/v1/claims/{claim.pk}/").json()["public_url"] == claim.canonical_url
    assert client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()["url"] == claim.canonical_url


# --- Languages: a claim's translations, a quote's original and renderings ---------------------


def test_a_claim_page_links_its_translations_both_ways_with_their_language_names(claim_in, client,
                                                                                  editor):
    english = claim_in("published", text="Mexico will never accept foreign troops.", language="en")
    spanish = claim_in("published", text="México nunca aceptará tropas extranjeras.", language="es")
    services.claim_relation_add(actor=editor, from_claim=spanish, to_claim=english,
                                kind="translation_of")

    tree = page(client, english.get_absolute_url())
    # The page speaks the reader's language (<html lang>); the claim's words carry their own.
    assert tree.cssselect("h1.claim__text")[0].get("lang") == "en"
    link = tree.cssselect(f'.translations a[href="{spanish.get_absolute_url()}"]')[0]
    assert (link.get("lang"), link.get("hreflang"), link.text_content()) == ("es", "es", spanish.text)
    assert "(Spanish)" in text_of(tree, ".translations")
    assert "Translation of" not in text_of(tree, "main")  # not listed again among related checks

    tree = page(client, spanish.get_absolute_url())  # the link drawn once shows on both pages
    assert tree.get("lang") == "en" and tree.cssselect("h1.claim__text")[0].get("lang") == "es"
    link = tree.cssselect(f'.translations a[href="{english.get_absolute_url()}"]')[0]
    assert link.get("lang") == "en" and "(English)" in text_of(tree, ".translations")


def test_a_cited_rendering_shows_the_original_words_beneath_with_their_language(
        claim_in, client, editor, settings):
    settings.FACTCHECK_PAGE_CACHE_SECONDS = 0
    plain = claim_in("published")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as before:
        page(client, plain.get_absolute_url())

    speaker = factories.PersonFactory(name="Claudia Sheinbaum")
    original = factories.QuoteFactory(text="la soberanía no se vende", language="es", speaker=speaker)
    rendering = factories.QuoteFactory(text="sovereignty is not for sale", language="en",
                                       speaker=speaker, rendering_of=original)
    other = factories.QuoteFactory(text="Sovereignty is not for sale", language="en",
                                   speaker=speaker, rendering_of=original)
    claim = claim_in("published")
    Evidence.objects.create(claim=claim, source=rendering.source, quote=rendering, relation="context")

    with CaptureQueriesContext(connection) as after:
        tree = page(client, claim.get_absolute_url())
    # One more query, for the statement's quotes (pages without renderings keep their count).
    assert len(after) == len(before) + 1

    statement = tree.cssselect(".quote .statement")[0]
    original_words = statement.cssselect(".statement__original q")[0]
    assert (original_words.get("lang"), original_words.text_content()) == ("es", original.text)
    assert "Original words (Spanish)" in text_of(statement, ".statement__original")
    renderings = statement.cssselect(".statement__rendering q")
    assert [(q.get("lang"), q.text_content()) for q in renderings] == [("en", other.text)]
    assert "Rendered in English" in text_of(statement, ".statement__rendering")


def test_the_demo_original_statement_shows_under_its_english_rendering(client, demo):
    retracted = Claim.objects.get(status="retracted")  # cites "sovereignty is not for sale"
    tree = page(client, retracted.get_absolute_url())
    original = tree.cssselect(".statement__original q")[0]
    assert (original.get("lang"), original.text_content()) == ("es", "la soberanía no se vende")
    assert [q.text_content() for q in tree.cssselect(".statement__rendering q")] == [
        "Sovereignty is not for sale"]
