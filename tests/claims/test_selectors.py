"""Reads in claims/selectors.py that the admin and the API share: the four-eyes review queue, a
claim's recent audited changes, a relation's ETag, and visibility of single claims."""

from __future__ import annotations

import pytest

from claims import selectors, services
from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db


def test_waiting_for_review_leaves_out_my_own_claims(editor, reviewer, other_reviewer):
    mine = factories.ClaimFactory(author=reviewer, status=Claim.Status.IN_REVIEW)
    theirs = factories.ClaimFactory(author=other_reviewer, status=Claim.Status.IN_REVIEW)
    factories.ClaimFactory(author=other_reviewer)  # a draft
    assert list(selectors.claims_waiting_for_review(reviewer)) == [theirs]
    assert list(selectors.claims_waiting_for_review(other_reviewer)) == [mine]
    narrowed = Claim.objects.filter(pk=mine.pk)
    assert list(selectors.claims_waiting_for_review(reviewer, narrowed)) == []


def test_recent_changes_name_who_changed_which_fields(editor, django_assert_num_queries):
    claim = factories.ClaimFactory(author=editor)
    services.claim_update(claim_id=claim.pk, actor=editor, analysis="Edited.")
    with django_assert_num_queries(2):
        changes = selectors.claim_recent_changes(claim)
    # One test transaction: both events carry the same time, so their order is not asserted.
    assert ("update", editor.username, ["analysis"]) in [(c.label, c.username, c.fields) for c in changes]
    assert sorted(c.label for c in changes) == ["insert", "update"]


def test_relation_etag_changes_with_its_document(editor, claim_in):
    relation = services.claim_relation_add(actor=editor, from_claim=claim_in("published"),
                                           to_claim=claim_in("published"), kind="same_as")
    etag = selectors.claim_relation_etag(relation)
    assert etag.startswith('"') and etag == selectors.claim_relation_etag(relation)
    relation.note = "Another note."
    assert selectors.claim_relation_etag(relation) != etag


def test_a_single_claim_is_visible_as_in_the_lists(editor, claim_in):
    draft, published = claim_in("draft"), claim_in("published")
    assert selectors.claim_visible_to(None, draft.pk) is None
    assert selectors.claim_visible_to(None, published.pk) == published
    assert selectors.claim_visible_to(editor, draft.pk) == draft
    assert selectors.claim_visible_to(editor, 2**63) is None  # beyond a bigint: absent, no error
    assert selectors.claim_version_visible_to(None, draft.pk) is None
    assert selectors.claim_version_visible_to(editor, draft.pk) == Claim.objects.get(pk=draft.pk).version
