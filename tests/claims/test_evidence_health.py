"""Evidence health after publication (claims migration 0009's triggers, the dismiss_attention
action, the admin's "Evidence changed" filter and count, the API's evidence=attention filter).

When a re-fetch or re-import makes a quote a published claim cites drift or orphan, or a cited
source's fetch starts failing, the claim is flagged and its review log says why — whatever door
the change came through (a service, an import, raw SQL). A reviewer resolves it: the quote
anchored again, a correction, or a dismissal with a reason.
"""

from __future__ import annotations

import pytest
from django.db import connection

from claims import services
from claims.errors import RoleError, TransitionError
from claims.models import Claim, ReviewEvent
from factcheck.actors import SYSTEM
from factcheck.errors import InvalidInput
from sources import services as source_services
from sources.importing import article_import
from sources.models import Quote, Source
from tests import factories
from tests.api_helpers import assert_error, session_client
from tests.claims.test_admin import logged_in
from tests.conftest import bring_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

URL = "https://news.example/budget"
ARTICLE = ('The minister said "taxes will fall next year" at a press conference.\n\n'
           'She added that "schools will get more money" this spring.')
REWRITTEN = ('The minister said "taxes would fall next year" at a press conference.\n\n'
             'She added that "schools will get more money" this spring.')
ORPHANING = "The minister spoke about the weather."


@pytest.fixture
def article():
    return article_import(url=URL, content=ARTICLE, format="text", title="Budget day", actor=SYSTEM)


@pytest.fixture
def cited(article, editor, reviewer):
    """A published claim and a draft, both citing the article's tax quote."""
    source = Source.objects.get(pk=article.source.id)
    quote = source_services.quote_create(actor=SYSTEM, source=source, text="taxes will fall next year",
                                         speaker=factories.PersonFactory(name="The Minister"))
    assert quote.anchor_status == "anchored"

    def claim(state):
        claim = factories.ClaimFactory(author=editor, rating=factories.rating("true"),
                                       rating_explanation="The budget says so.")
        factories.EvidenceFactory(claim=claim, source=source, quote=quote, relation="appearance")
        factories.EvidenceFactory(claim=claim, relation="refutes")
        return bring_to(claim, state, author=editor, reviewer=reviewer)

    return {"source": source, "quote": quote, "published": claim("published"),
            "draft": claim("draft")}


def flagged(claim) -> Claim:
    claim.refresh_from_db()
    return claim


def notes(claim) -> list[tuple]:
    return list(ReviewEvent.objects.filter(claim=claim, actor=None)
                .values_list("from_status", "to_status", "comment"))


def test_a_reimport_that_drifts_a_cited_quote_flags_the_published_claim(cited):
    result = article_import(url=URL, content=REWRITTEN, format="text", actor=SYSTEM)
    assert result.content_changed
    assert Quote.objects.get(pk=cited["quote"].pk).anchor_status == "drifted"
    claim = flagged(cited["published"])
    what = ("the quote “taxes will fall next year” in “Budget day” is now drifted (the source's "
            "text changed around it).")
    assert claim.evidence_attention_at is not None
    assert claim.evidence_attention_reason == what
    assert notes(claim) == [("published", "published", f"Evidence changed: {what}")]
    # Drafts and claims in review meet the publish gate instead.
    assert flagged(cited["draft"]).evidence_attention_at is None
    assert notes(cited["draft"]) == []


def test_a_source_edit_that_orphans_a_cited_quote_flags_the_claim(cited, editor):
    source_services.source_update(source=cited["source"], actor=editor, content=ORPHANING)
    claim = flagged(cited["published"])
    assert "is now orphaned (no longer found in the source's text)" in claim.evidence_attention_reason


def test_raw_sql_that_changes_a_quotes_anchor_status_flags_the_claim_too(cited):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sources_quote SET anchor_status = 'orphaned' WHERE id = %s",
                       [cited["quote"].pk])
    assert flagged(cited["published"]).evidence_attention_at is not None


def test_a_failing_fetch_of_a_cited_source_flags_the_claim_once(cited, editor):
    source_services.source_set_fetch_error(source=cited["source"], actor=editor,
                                           message="The site answered 404.")
    claim = flagged(cited["published"])
    assert claim.evidence_attention_reason == (
        "the source “Budget day” can no longer be fetched: The site answered 404.")
    since = claim.evidence_attention_at
    with connection.cursor() as cursor:  # another failure message is not a new alert
        cursor.execute("UPDATE sources_source SET fetch_error = 'Timed out.' WHERE id = %s",
                       [cited["source"].pk])
    claim = flagged(cited["published"])
    assert claim.evidence_attention_at == since and len(notes(claim)) == 1
    # The next successful fetch (the error cleared) with every quote anchored clears the alert.
    source_services.source_set_fetch_error(source=Source.objects.get(pk=cited["source"].pk),
                                           actor=editor, message="")
    claim = flagged(cited["published"])
    assert (claim.evidence_attention_at, claim.evidence_attention_reason) == (None, "")
    assert notes(claim)[-1][2] == ("Evidence back in place: every cited quote is anchored and "
                                   "every cited source fetches.")


def test_the_text_coming_back_anchors_an_orphaned_quote_again_and_clears_the_alert(
    cited, editor
):
    source_services.source_update(source=cited["source"], actor=editor, content=ORPHANING)
    assert flagged(cited["published"]).evidence_attention_at is not None
    article_import(url=URL, content=ARTICLE, format="text", actor=SYSTEM)  # the re-import
    assert Quote.objects.get(pk=cited["quote"].pk).anchor_status == "anchored"
    claim = flagged(cited["published"])
    assert claim.evidence_attention_at is None
    assert [comment.split(":")[0] for _, _, comment in notes(claim)] == [
        "Evidence changed", "Evidence back in place"]


def test_an_editor_re_anchoring_the_drifted_quote_clears_the_alert(cited, editor):
    article_import(url=URL, content=REWRITTEN, format="text", actor=SYSTEM)
    quote = Quote.objects.get(pk=cited["quote"].pk)
    assert quote.anchor_status == "drifted"
    source_services.quote_update(quote=quote, actor=editor, text="taxes would fall next year")
    assert Quote.objects.get(pk=quote.pk).anchor_status == "anchored"
    assert flagged(cited["published"]).evidence_attention_at is None


# --- Resolution --------------------------------------------------------------------------------


@pytest.fixture
def alert(cited):
    article_import(url=URL, content=REWRITTEN, format="text", actor=SYSTEM)
    return flagged(cited["published"])


def test_a_reviewer_dismisses_the_alert_with_a_reason(alert, reviewer, editor):
    with pytest.raises(InvalidInput) as blank:
        services.claim_dismiss_attention(claim_id=alert.pk, actor=reviewer, reason=" ")
    assert blank.value.code == "reason_required"
    with pytest.raises(RoleError):
        services.claim_dismiss_attention(claim_id=alert.pk, actor=editor, reason="Fine.")
    response = session_client(reviewer).post(
        f"/api/v1/claims/{alert.pk}/dismiss-attention/",
        {"reason": "The new wording says the same."}, format="json")
    assert response.status_code == 200, response.content
    claim = flagged(alert)
    assert (claim.evidence_attention_at, claim.evidence_attention_reason) == (None, "")
    event = ReviewEvent.objects.filter(claim=claim).latest("id")
    assert (event.actor, event.from_status, event.to_status, event.comment) == (
        reviewer, "published", "published", "Evidence alert dismissed: The new wording says the same.")
    error = assert_error(session_client(reviewer).post(
        f"/api/v1/claims/{alert.pk}/dismiss-attention/", {"reason": "Again."}, format="json"),
        409, "illegal_transition")
    assert error["message"] == "The claim's evidence has not changed: there is no alert to dismiss."


def test_a_correction_resolves_the_alert(alert, other_reviewer):
    services.claim_correct(claim_id=alert.pk, actor=other_reviewer, kind="update",
                           note="The article now words the offer differently.")
    assert flagged(alert).evidence_attention_at is None


def test_dismissing_is_offered_only_while_there_is_an_alert(alert, cited, reviewer):
    from claims.workflow import allowed_actions

    assert "dismiss_attention" in allowed_actions(alert, reviewer)
    services.claim_dismiss_attention(claim_id=alert.pk, actor=reviewer, reason="Checked.")
    assert "dismiss_attention" not in allowed_actions(flagged(alert), reviewer)
    with pytest.raises(TransitionError):
        services.claim_dismiss_attention(claim_id=cited["draft"].pk, actor=reviewer, reason="x")


# --- Finding them: the API and the admin ---------------------------------------------------------


def test_the_api_lists_claims_whose_evidence_changed_for_staff_only(alert, cited, editor, claim_in):
    claim_in("published")  # a healthy published claim
    response = session_client(editor).get("/api/v1/claims/?evidence=attention")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [alert.pk]
    public = session_client(None).get("/api/v1/claims/?evidence=attention")
    assert public.status_code == 200 and public.json()["results"] == []
    assert_error(session_client(editor).get("/api/v1/claims/?evidence=bogus"), 400)


def test_the_admin_counts_and_filters_claims_whose_evidence_changed(alert, editor, reviewer,
                                                                   claim_in):
    healthy = claim_in("published")
    client = logged_in(editor)
    page = client.get("/admin/claims/claim/").content.decode()
    assert '<a href="?evidence=attention">⚠ Evidence changed (1)</a>' in page
    filtered = client.get("/admin/claims/claim/?evidence=attention").content.decode()
    assert f"/admin/claims/claim/{alert.pk}/change/" in filtered
    assert f"/admin/claims/claim/{healthy.pk}/change/" not in filtered

    claim_page = logged_in(reviewer).get(f"/admin/claims/claim/{alert.pk}/change/").content.decode()
    assert "Evidence changed since publication" in claim_page
    assert "is now drifted (the source&#x27;s text changed around it)." in claim_page
    assert 'name="_workflow_dismiss_attention"' in claim_page
    response = logged_in(reviewer).post(f"/admin/claims/claim/{alert.pk}/workflow/dismiss_attention/",
                                        {"reason": "Same meaning."})
    assert response.status_code == 302
    assert flagged(alert).evidence_attention_at is None
    assert "⚠ Evidence changed (" not in client.get("/admin/claims/claim/").content.decode()
