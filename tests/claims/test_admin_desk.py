"""The editors' desk in admin: the publish checklist on every draft, the readiness column of the
claims list, returned work at the top of the claim page and in the "Returned to me" queue, and the
readable history of claims, sources and quotes."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.workflow import GATES
from sources import services as source_services
from sources.models import Quote
from tests import factories
from tests.claims.test_admin import CLAIMS, change_url, listed, logged_in
from tests.conftest import bring_to, make_ready_claim

pytestmark = pytest.mark.django_db


def checklist(html: str) -> dict[str, bool]:
    """The checklist's lines: label → done."""
    block = re.search(r'<ul class="fc-checklist">(.*?)</div>', html, re.S).group(1)
    lines = re.findall(r'<li class="fc-(ok|todo)">\s*<span aria-hidden="true">[✓✗]</span>\s*'
                       r'<span class="visually-hidden">[^<]*</span>\s*(?:<a href="[^"]*">)?([^<]+)',
                       block)
    return {html_module.unescape(label.strip()): state == "ok" for state, label in lines}


# --- The publish checklist ------------------------------------------------------------------


def test_a_fresh_draft_shows_every_gate_with_a_link_to_fix_it(editor):
    claim = factories.ClaimFactory(author=editor, claimant=None, claim_date=None)
    html = logged_in(editor).get(change_url(claim)).content.decode()
    lines = checklist(html)
    assert list(lines) == [gate.label for gate in GATES]
    for code in ["rating", "rating_explanation", "claimant", "claim_date", "appearance", "evidence"]:
        gate = next(g for g in GATES if g.code == code)
        assert lines[gate.label] is False
        assert f'<a href="{gate.fix}">{html_module.escape(gate.label)}</a>' in html
    assert "Publish checklist — 6 missing" in html
    assert '<a href="#id_claim_date">' in html and '<a href="#evidence-group">' in html


def test_a_ready_draft_ticks_every_gate(editor):
    claim = make_ready_claim(editor)
    html = logged_in(editor).get(change_url(claim)).content.decode()
    assert set(checklist(html).values()) == {True}
    assert "Publish checklist — ready to publish" in html


def test_the_checklist_follows_the_claim_into_review_and_not_past_publication(editor, reviewer):
    claim = factories.ClaimFactory(author=editor)
    bring_to(claim, "in_review", author=editor, reviewer=reviewer)
    html = logged_in(reviewer).get(change_url(claim)).content.decode()
    assert checklist(html)["A rating"] is False
    published = bring_to(make_ready_claim(editor), "published", author=editor, reviewer=reviewer)
    assert 'id="publish-checklist"' not in logged_in(reviewer).get(change_url(published)).content.decode()


def test_an_unanchored_quote_links_to_the_quote_page(editor):
    claim = make_ready_claim(editor)
    quote = factories.QuoteFactory()
    factories.EvidenceFactory(claim=claim, source=quote.source, quote=quote, relation="supports")
    # The article changed and the words are gone (what re-anchoring records).
    Quote.objects.filter(pk=quote.pk).update(anchor_status=Quote.AnchorStatus.ORPHANED)
    html = logged_in(editor).get(change_url(claim)).content.decode()
    gate = next(g for g in GATES if g.code == "quote_not_anchored")
    assert checklist(html)[gate.label] is False
    assert f'href="/admin/sources/quote/{quote.pk}/change/"' in html


# --- The readiness column -------------------------------------------------------------------


def readiness_cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in
            re.findall(r'<td class="field-readiness">(.*?)</td>', html, re.S)]


def test_the_claims_list_says_ready_or_how_many_items_are_missing(editor, reviewer):
    make_ready_claim(editor, text="Ready one.")
    factories.ClaimFactory(author=editor, claimant=None, claim_date=None, text="Bare one.")
    bring_to(make_ready_claim(editor, text="Published one."), "published", author=editor,
             reviewer=reviewer)
    client = logged_in(editor)
    html = client.get(CLAIMS + "?o=1").content.decode()  # ordered by claim text
    rows = dict(zip(listed(client, "?o=1"), readiness_cells(html), strict=True))
    assert rows == {"Bare one.": "✗ 6 missing", "Published one.": "—", "Ready one.": "✓ ready"}
    assert 'title="choose a rating; write a rating explanation; name the claimant' in html


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CLAIMS).status_code == 200
    return len(queries)


def test_the_readiness_column_costs_the_same_queries_for_one_claim_or_many(editor):
    """The pending claims' evidence (one read for the gates and the ClaimReview check) and the
    rating scale: two more queries than the plain list (13), whatever its size."""
    client = logged_in(editor)
    make_ready_claim(editor)
    one = changelist_queries(client)
    for _ in range(12):
        make_ready_claim(editor, assignee=factories.UserFactory())
        factories.ClaimFactory(author=editor)
    assert changelist_queries(client) == one == 15


# --- Returned work --------------------------------------------------------------------------


@pytest.fixture
def returned(editor, reviewer):
    claim = make_ready_claim(editor, text="Returned claim.")
    bring_to(claim, "in_review", author=editor, reviewer=reviewer)
    services.claim_request_changes(claim_id=claim.pk, actor=reviewer,
                                   comment="Cite the ministry's own table, not the press release.")
    return claim


def test_the_reviewers_comment_is_at_the_top_of_the_returned_claim(editor, reviewer, returned):
    html = logged_in(editor).get(change_url(returned)).content.decode()
    box = re.search(r'<div class="fc-returned" id="returned".*?</div>', html, re.S).group(0)
    assert f"Returned for changes by {reviewer.username}" in box
    assert "Cite the ministry&#x27;s own table, not the press release." in box
    # Above the workflow panel and the form.
    assert html.index('id="returned"') < html.index('id="workflow"') < html.index('id="claim_form"')


def test_the_comment_goes_away_once_the_claim_is_submitted_again(editor, returned):
    services.claim_submit(claim_id=returned.pk, actor=editor)
    assert 'id="returned"' not in logged_in(editor).get(change_url(returned)).content.decode()


def test_returned_to_me_lists_only_my_returned_drafts(editor, reviewer, other_reviewer, returned):
    factories.ClaimFactory(author=editor, text="Never submitted.")
    resubmitted = make_ready_claim(editor, text="Returned then resubmitted.")
    bring_to(resubmitted, "in_review", author=editor, reviewer=reviewer)
    services.claim_request_changes(claim_id=resubmitted.pk, actor=reviewer, comment="Fix it.")
    services.claim_submit(claim_id=resubmitted.pk, actor=editor)
    assert listed(logged_in(editor), "?queue=returned") == ["Returned claim."]
    assert listed(logged_in(other_reviewer), "?queue=returned") == []
    assert "Returned to me" in logged_in(editor).get(CLAIMS).content.decode()


# --- Readable history -----------------------------------------------------------------------


def history_rows(html: str) -> list[str]:
    body = re.search(r'<table id="history".*?</table>', html, re.S).group(0)
    return [" ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", row)).split())
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]]


def test_claim_history_says_who_did_what_in_words(editor, reviewer):
    person = factories.PersonFactory(name="Claudia Sheinbaum")
    claim = services.claim_create(actor=editor, text="Exports rose by 5 percent.")
    services.claim_update(claim_id=claim.pk, actor=editor, claimant=person,
                          text="Exports rose by 7 percent.")
    response = logged_in(reviewer).get(f"{CLAIMS}{claim.pk}/history/")
    assert response.status_code == 200
    rows = history_rows(response.content.decode())
    assert len(rows) == 2
    newest, first = rows
    assert f"{editor.username} changed (claim update)" in newest
    assert "Claimant : — → Claudia Sheinbaum" in newest
    assert "Text : Exports rose by 5 percent. → Exports rose by 7 percent." in newest
    assert "Version" not in newest and "updated" not in newest.lower()
    assert f"{editor.username} created (claim create)" in first


def test_long_texts_are_shortened_in_the_history(editor):
    claim = services.claim_create(actor=editor, text="Short.")
    services.claim_update(claim_id=claim.pk, actor=editor, analysis="word " * 100)
    rows = history_rows(logged_in(editor).get(f"{CLAIMS}{claim.pk}/history/").content.decode())
    assert "Analysis : — → word word" in rows[0] and "…" in rows[0]
    assert "word " * 40 not in rows[0]


def test_source_and_quote_pages_have_a_readable_history(editor):
    source = source_services.source_create(actor=editor, url="https://example.org/a",
                                           title="First title", content="He said hello there.")
    source_services.source_update(source=source, actor=editor, title="Second title")
    rows = history_rows(logged_in(editor).get(
        f"/admin/sources/source/{source.pk}/history/").content.decode())
    assert "Title : First title → Second title" in rows[0]
    quote = factories.QuoteFactory(source=source, text="hello there")
    response = logged_in(editor).get(f"/admin/sources/quote/{quote.pk}/history/")
    assert response.status_code == 200
    assert "created" in history_rows(response.content.decode())[-1]


def test_history_query_count_does_not_grow_with_events(editor):
    """Session, user, permissions, the object, the events, their users, the related names."""
    people = [factories.PersonFactory() for _ in range(6)]
    claim = services.claim_create(actor=editor, text="Exports rose.")
    client = logged_in(editor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{CLAIMS}{claim.pk}/history/").status_code == 200
        return len(captured)

    services.claim_update(claim_id=claim.pk, actor=editor, claimant=people[0])
    few = queries()
    for person in people[1:]:
        services.claim_update(claim_id=claim.pk, actor=editor, claimant=person,
                              rating=factories.rating("true"))
    assert queries() == few + 1  # the ratings now named: one more related model, once


def test_history_is_for_staff_who_may_view_the_object(client, outsider, editor):
    claim = services.claim_create(actor=editor, text="Exports rose.")
    assert client.get(f"{CLAIMS}{claim.pk}/history/").status_code == 302  # to the login page
    assert logged_in(editor).get(f"{CLAIMS}999999/history/").status_code == 404


def test_dates_in_the_history_read_as_dates(editor):
    claim = services.claim_create(actor=editor, text="Exports rose.")
    services.claim_update(claim_id=claim.pk, actor=editor, claim_date="2025-05-03")
    rows = history_rows(logged_in(editor).get(f"{CLAIMS}{claim.pk}/history/").content.decode())
    assert "Claim date : — → 3 May 2025" in rows[0]  # settings.FORMAT_MODULE_PATH
    assert "Created at" not in rows[1]
