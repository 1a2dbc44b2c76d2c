"""The sources admin (sources/admin.py): pages per role, saves through sources.services, the text
snapshot, anchor-status flags, drifted quotes' old and new text, confirming candidates."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sources import services
from sources.models import Outlet, Person, Quote, Source
from tests import factories

pytestmark = pytest.mark.django_db

real_quote_delete = services.quote_delete

SNAPSHOT = 'The mayor said "we will build bridges" on Monday.\n\nCritics said "<b>nothing</b> was built".'


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_errors(response) -> list[str]:
    return re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def source_form(source=None, **fields) -> dict[str, str]:
    data = {
        "url": source.url if source else "", "title": source.title if source else "",
        "outlet": (source.outlet_id or "") if source else "", "byline": "", "published_at_0": "",
        "published_at_1": "", "language": "en", "kind": "article", "archive_url": "",
        **management("quotes"), "_save": "Save",
    }
    data.update({name: str(value) for name, value in fields.items()})
    return data


# --- Pages per role -------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["outlet", "person", "source", "quote"])
@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_each_page_renders_for_each_role(model, page, editor, reviewer, admin_user):
    quote = factories.QuoteFactory()
    obj = {"outlet": quote.source.outlet, "person": quote.speaker, "source": quote.source,
           "quote": quote}[model]
    url = {"changelist": f"/admin/sources/{model}/", "add": f"/admin/sources/{model}/add/",
           "change": f"/admin/sources/{model}/{obj.pk}/change/"}[page]
    for user in (editor, reviewer, admin_user):
        assert logged_in(user).get(url).status_code == 200, (model, page, user.username)


def test_staff_without_a_role_cannot_open_sources(db):
    staffer = factories.UserFactory(username="staffer")
    for model in ["outlet", "person", "source", "quote"]:
        assert logged_in(staffer).get(f"/admin/sources/{model}/").status_code == 403


def test_editors_cannot_delete_sources_people_or_outlets(editor):
    quote = factories.QuoteFactory()
    client = logged_in(editor)
    assert client.get(f"/admin/sources/source/{quote.source_id}/delete/").status_code == 403
    assert client.get(f"/admin/sources/person/{quote.speaker_id}/delete/").status_code == 403
    assert client.get(f"/admin/sources/outlet/{quote.source.outlet_id}/delete/").status_code == 403


# --- Sources --------------------------------------------------------------------------------


def test_adding_a_source_normalizes_url_and_snapshot_and_finds_the_outlet(editor):
    response = logged_in(editor).post("/admin/sources/source/add/", source_form(
        url="HTTPS://WWW.Example.org/news/1?utm_source=x#top", title="Budget day",
        content="First   paragraph.\r\n\r\n\r\nSecond\u00a0paragraph.",
    ))
    assert response.status_code == 302, form_errors(response)
    source = Source.objects.get(title="Budget day")
    assert source.url == "https://www.example.org/news/1"
    assert source.content == "First paragraph.\n\nSecond paragraph."
    assert len(source.content_sha256) == 64 and source.retrieved_at is not None
    assert source.outlet.domain == "example.org"


def test_a_duplicate_url_is_refused_at_the_field_and_nothing_is_saved(editor):
    existing = factories.SourceFactory(url="https://news.example/a")
    # Spelled differently, the same URL once normalized: only the service can tell.
    response = logged_in(editor).post("/admin/sources/source/add/", source_form(
        url="https://NEWS.example/a#section-2", title="Copy", outlet=existing.outlet_id,
    ))
    assert response.status_code == 200
    assert any("already exists" in m for m in messages_of(response))
    assert "Duplicate." in response.content.decode()
    assert not Source.objects.filter(title="Copy").exists()


def test_editing_a_source_goes_through_source_update(editor):
    source = factories.SourceFactory(title="Old title")
    response = logged_in(editor).post(f"/admin/sources/source/{source.pk}/change/",
                                      source_form(source, title="New title"))
    assert response.status_code == 302, form_errors(response)
    source.refresh_from_db()
    assert source.title == "New title"


def test_snapshot_is_read_only_readable_escaped_and_highlights_quotes(editor):
    source = factories.SourceFactory(content=SNAPSHOT)
    quote = Quote.objects.create(  # anchored by hand: the page must show what is stored
        source=source, speaker=factories.PersonFactory(name="The Mayor"), text="we will build bridges",
        exact="we will build bridges", start=16, end=37, anchor_status="anchored",
    )
    assert SNAPSHOT[quote.start:quote.end] == quote.text
    html = logged_in(editor).get(f"/admin/sources/source/{source.pk}/change/").content.decode()
    assert 'name="content"' not in html  # read-only
    snapshot = re.search(r'<div class="fc-snapshot">(.*?)</div>', html, re.S).group(1)
    assert snapshot.count("<p>") == 2  # paragraphs kept
    assert "<mark" in snapshot and "we will build bridges</mark>" in snapshot
    assert "&lt;b&gt;nothing&lt;/b&gt;" in snapshot and "<b>nothing</b>" not in snapshot


def test_quotes_added_on_the_source_page_are_anchored_by_the_service(editor):
    source = factories.SourceFactory(content=SNAPSHOT)
    speaker = factories.PersonFactory()
    data = source_form(source, **management("quotes", total=1), **{
        "quotes-0-speaker": speaker.pk, "quotes-0-text": "  we will   build bridges ",
        "quotes-0-source": source.pk,
    })
    response = logged_in(editor).post(f"/admin/sources/source/{source.pk}/change/", data)
    assert response.status_code == 302, form_errors(response)
    quote = source.quotes.get()
    assert (quote.text, quote.anchor_status, quote.start, quote.end) == (
        "we will build bridges", "anchored", 16, 37)
    assert quote.prefix == 'The mayor said "' and quote.suffix.startswith('" on Monday.')


def quote_row(quote, index: int = 0, **fields) -> dict[str, str]:
    row = {"id": quote.pk, "source": quote.source_id, "speaker": quote.speaker_id, "text": quote.text}
    row.update(fields)
    return {f"quotes-{index}-{name}": str(value) for name, value in row.items()}


def test_deleting_an_unused_quote_on_the_source_page_goes_through_quote_delete(editor, monkeypatch):
    quote = factories.QuoteFactory()
    deleted = []
    monkeypatch.setattr(services, "quote_delete", lambda *, quote_id, **kwargs: deleted.append(quote_id)
                        or real_quote_delete(quote_id=quote_id, **kwargs))
    data = source_form(quote.source, **management("quotes", total=1, initial=1),
                       **quote_row(quote, DELETE="on"))
    response = logged_in(editor).post(f"/admin/sources/source/{quote.source_id}/change/", data)
    assert response.status_code == 302, form_errors(response)
    assert deleted == [quote.pk]
    assert not Quote.objects.filter(pk=quote.pk).exists()


def test_deleting_a_quote_cited_as_evidence_on_the_source_page_is_refused_with_a_message(editor):
    quote = factories.QuoteFactory()
    factories.EvidenceFactory(source=quote.source, quote=quote)
    data = source_form(quote.source, title="Changed too", **management("quotes", total=1, initial=1),
                       **quote_row(quote, DELETE="on"))
    response = logged_in(editor).post(f"/admin/sources/source/{quote.source_id}/change/", data)
    assert response.status_code == 200  # the page again, with the editor's input
    # Django's inline form names the evidence row; the service would refuse a race the same way.
    assert any("would require deleting the following protected related objects" in error
               for error in form_errors(response))
    assert Quote.objects.filter(pk=quote.pk).exists()
    quote.source.refresh_from_db()
    assert quote.source.title != "Changed too"  # nothing of the refused save was kept


def cited_meanwhile(quote):
    """A quote_delete that finds ``quote`` cited by evidence added after the form was checked."""
    def cite_then_delete(*, quote_id, **kwargs):
        if quote_id == quote.pk:
            factories.EvidenceFactory(source=quote.source, quote=quote)
        return real_quote_delete(quote_id=quote_id, **kwargs)
    return cite_then_delete


def test_a_quote_cited_while_the_source_page_was_saved_is_refused_with_a_message(editor, monkeypatch):
    quote = factories.QuoteFactory()
    monkeypatch.setattr(services, "quote_delete", cited_meanwhile(quote))
    data = source_form(quote.source, title="Changed too", **management("quotes", total=1, initial=1),
                       **quote_row(quote, DELETE="on"))
    response = logged_in(editor).post(f"/admin/sources/source/{quote.source_id}/change/", data)
    assert response.status_code == 200
    assert any("is cited as evidence 1 time" in message for message in messages_of(response))
    assert Quote.objects.filter(pk=quote.pk).exists()
    quote.source.refresh_from_db()
    assert quote.source.title != "Changed too"


def test_deleting_a_quote_from_its_page_goes_through_quote_delete(editor):
    quote = factories.QuoteFactory()
    response = logged_in(editor).post(f"/admin/sources/quote/{quote.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Quote.objects.filter(pk=quote.pk).exists()


def test_a_cited_quote_cannot_be_deleted_from_its_page_or_in_bulk(editor):
    quote = factories.QuoteFactory(text="We will build bridges")
    evidence = factories.EvidenceFactory(source=quote.source, quote=quote, claim__text="Bridges are free")
    client = logged_in(editor)
    page = client.post(f"/admin/sources/quote/{quote.pk}/delete/", {"post": "yes"})
    assert page.status_code == 200 and "Cannot delete" in page.content.decode()
    named = f"Claim #{evidence.claim_id} “Bridges are free” cites “We will build bridges”"
    assert named in page.content.decode()
    bulk = client.post("/admin/sources/quote/", {
        "action": "delete_selected", "_selected_action": [quote.pk], "post": "yes",
    })
    assert bulk.status_code == 200 and "Cannot delete" in bulk.content.decode()
    assert Quote.objects.filter(pk=quote.pk).exists()


def test_bulk_delete_reports_a_quote_cited_since_the_confirmation(editor, monkeypatch):
    unused, cited = factories.QuoteFactory(), factories.QuoteFactory()
    # Django's confirmation check saw no evidence; a claim cites ``cited`` before the deletion runs.
    monkeypatch.setattr(services, "quote_delete", cited_meanwhile(cited))
    response = logged_in(editor).post("/admin/sources/quote/", {
        "action": "delete_selected", "_selected_action": [unused.pk, cited.pk], "post": "yes",
    })
    assert response.status_code == 302
    assert any("is cited as evidence 1 time" in message for message in messages_of(response))
    assert not Quote.objects.filter(pk=unused.pk).exists()
    assert Quote.objects.filter(pk=cited.pk).exists()


def test_source_list_flags_quotes_to_check(editor):
    quote = factories.QuoteFactory()
    Quote.objects.filter(pk=quote.pk).update(anchor_status="orphaned", start=None, end=None)
    html = logged_in(editor).get("/admin/sources/source/").content.decode()
    assert "⚠ 1" in html and quote.source.title in html


# --- Quotes ---------------------------------------------------------------------------------


def test_adding_a_quote_not_in_the_snapshot_saves_it_unverified_with_a_warning(editor):
    source = factories.SourceFactory(content=SNAPSHOT)
    response = logged_in(editor).post("/admin/sources/quote/add/", {
        "source": source.pk, "speaker": factories.PersonFactory().pk,
        "text": "words nobody said", "_save": "Save",
    })
    assert response.status_code == 302, form_errors(response)
    quote = Quote.objects.get(text="words nobody said")
    assert quote.anchor_status == "unverified" and quote.start is None
    assert any("not found in the source's text" in m for m in messages_of(response))


def test_changing_a_quote_re_anchors_it(editor):
    quote = factories.QuoteFactory(text="We will build 3 bridges")
    quote.source.content = 'The mayor said "We will build 3 bridges" and "lower taxes".'
    quote.source.save()
    response = logged_in(editor).post(f"/admin/sources/quote/{quote.pk}/change/", {
        "speaker": quote.speaker_id, "text": "lower taxes", "_save": "Save",
    })
    assert response.status_code == 302, form_errors(response)
    quote.refresh_from_db()
    assert (quote.exact, quote.start, quote.anchor_status) == ("lower taxes", 46, "anchored")
    assert quote.source_id == quote.source.pk  # the source cannot be switched


def test_quote_list_filters_and_flags_what_needs_review(editor):
    anchored = factories.QuoteFactory(text="Anchored words here")
    drifted = factories.QuoteFactory(text="Drifted words here")
    Quote.objects.filter(pk=drifted.pk).update(
        anchor_status="drifted", previous_exact="Drifted word here", exact="Drifted words here")
    orphaned = factories.QuoteFactory(text="Orphaned words here")
    Quote.objects.filter(pk=orphaned.pk).update(
        anchor_status="orphaned", start=None, end=None, previous_exact="Orphaned words here")
    client = logged_in(editor)
    html = client.get("/admin/sources/quote/?anchor=needs_review").content.decode()
    assert drifted.text in html and orphaned.text in html and anchored.text not in html
    assert "⚠ Drifted (needs review)" in html and "⚠ Orphaned" in html
    assert "<del>Drifted word here</del>" in html and "<ins>Drifted words here</ins>" in html
    page = client.get(f"/admin/sources/quote/{drifted.pk}/change/").content.decode()
    assert "<del>Drifted word here</del>" in page and "<ins>Drifted words here</ins>" in page


def test_confirm_candidate_quotes_action(editor):
    candidates = [factories.QuoteFactory(is_candidate=True) for _ in range(2)]
    confirmed = factories.QuoteFactory(is_candidate=False)
    response = logged_in(editor).post("/admin/sources/quote/", {
        "action": "confirm_candidates",
        "_selected_action": [q.pk for q in [*candidates, confirmed]],
    })
    assert response.status_code == 302
    assert not Quote.objects.filter(is_candidate=True).exists()
    assert any("2 candidate quote(s) confirmed" in m for m in messages_of(response))


def changelist_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/admin/sources/quote/", "/admin/sources/source/"])
def test_changelist_query_count_does_not_grow_with_rows(editor, url):
    client = logged_in(editor)
    factories.QuoteFactory()
    one_row = changelist_queries(client, url)
    for _ in range(10):
        factories.QuoteFactory()
    assert changelist_queries(client, url) == one_row


# --- People and outlets ---------------------------------------------------------------------


def test_people_are_created_and_edited_through_the_services(editor):
    client = logged_in(editor)
    response = client.post("/admin/sources/person/add/", {
        "name": "Claudia Sheinbaum", "kind": "person", "title": "President of Mexico",
        "country": "MX", "wikidata_id": "", "aliases": "Sheinbaum,the Mexican leader", "url": "",
        "_save": "Save",
    })
    assert response.status_code == 302, form_errors(response)
    person = Person.objects.get(name="Claudia Sheinbaum")
    assert person.slug == "claudia-sheinbaum"
    assert person.aliases == ["Sheinbaum", "the Mexican leader"]
    response = client.post(f"/admin/sources/person/{person.pk}/change/", {
        "name": "Claudia Sheinbaum Pardo", "kind": "person", "title": "President of Mexico",
        "country": "MX", "wikidata_id": "Q", "aliases": "", "url": "", "_save": "Save",
    })
    assert response.status_code == 200  # a malformed Wikidata id is refused
    person.refresh_from_db()
    assert person.name == "Claudia Sheinbaum"


def test_outlets_are_created_with_a_normalized_domain(editor):
    response = logged_in(editor).post("/admin/sources/outlet/add/", {
        "name": "Voz", "domain": "www.voz.us", "homepage_url": "", "country": "US",
        "language": "en", "_save": "Save",
    })
    assert response.status_code == 302, form_errors(response)
    assert Outlet.objects.get(name="Voz").domain == "voz.us"


def test_source_autocomplete_finds_sources_by_title(editor):
    source = factories.SourceFactory(title="Budget law of 2025")
    response = logged_in(editor).get("/admin/autocomplete/", {
        "term": "Budget", "app_label": "claims", "model_name": "evidence", "field_name": "source",
    })
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(source.pk)]


def test_sources_list_filters_failed_fetches(editor):
    """Editors find the articles whose last fetch failed, to fetch them again."""
    failed = factories.SourceFactory(title="Fetch went wrong", fetch_error="The page could not be fetched.")
    fine = factories.SourceFactory(title="Fetched fine")
    page = logged_in(editor).get("/admin/sources/source/", {"fetch": "failed"})
    assert page.status_code == 200
    html = page.content.decode()
    assert failed.title in html and fine.title not in html
    ok = logged_in(editor).get("/admin/sources/source/", {"fetch": "ok"}).content.decode()
    assert fine.title in ok and failed.title not in ok


def test_quote_list_filters_quotes_that_need_a_speaker(editor):
    unattributed = factories.QuoteFactory(text="Nobody said these words", speaker=None)
    attributed = factories.QuoteFactory(text="Somebody said these words")
    client = logged_in(editor)
    needs = client.get("/admin/sources/quote/", {"needs_speaker": "yes"}).content.decode()
    assert unattributed.text in needs and attributed.text not in needs
    has = client.get("/admin/sources/quote/", {"needs_speaker": "no"}).content.decode()
    assert attributed.text in has and unattributed.text not in has


def test_a_publication_date_alone_is_saved_as_that_day_and_shown_as_a_date(editor):
    source = factories.SourceFactory(content=SNAPSHOT)
    client = logged_in(editor)
    response = client.post(f"/admin/sources/source/{source.pk}/change/",
                           source_form(source, published_at_0="2025-01-02", published_at_1=""))
    assert response.status_code == 302, form_errors(response)
    source.refresh_from_db()
    assert source.published_at.isoformat() == "2025-01-02T00:00:00+00:00"
    page = client.get(f"/admin/sources/source/{source.pk}/change/").content.decode()
    assert 'name="published_at_0" value="2025-01-02"' in page
    assert re.search(r'<input[^>]*name="published_at_1"(?![^>]*value=)[^>]*>', page)
    listing = client.get("/admin/sources/source/").content.decode()
    assert '<td class="field-published">2025-01-02</td>' in listing
    source.published_at = source.published_at.replace(hour=12)
    source.save(update_fields=["published_at"])
    listing = client.get("/admin/sources/source/").content.decode()
    assert '<td class="field-published">2025-01-02 12:00 UTC</td>' in listing
