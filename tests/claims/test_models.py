"""Database-level guarantees: constraints and triggers hold whatever door a write uses."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction

from claims.models import Claim, ReviewEvent
from tests import factories


@pytest.mark.django_db
def test_published_claim_cannot_be_deleted_even_with_raw_sql(claim_in):
    claim = claim_in("published")
    with pytest.raises(ProgrammingError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).delete()
    with pytest.raises(ProgrammingError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM claims_claim WHERE id = %s", [claim.pk])
    assert Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.django_db
def test_draft_claim_can_be_deleted(editor):
    claim = factories.ClaimFactory(author=editor)
    claim.delete()
    assert not Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.django_db
def test_database_refuses_published_claim_without_rating(claim_in):
    claim = claim_in("published")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(rating=None)


@pytest.mark.django_db
def test_database_refuses_author_as_reviewer(claim_in):
    claim = claim_in("published")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(reviewer=claim.author)


@pytest.mark.django_db
def test_review_log_is_append_only(claim_in):
    claim = claim_in("in_review")
    with pytest.raises(ProgrammingError), transaction.atomic():
        ReviewEvent.objects.filter(claim=claim).update(comment="rewritten")


@pytest.mark.django_db
def test_slug_is_stable(editor):
    claim = factories.ClaimFactory(author=editor)
    with pytest.raises(ProgrammingError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(slug="another")


@pytest.mark.django_db
def test_adding_evidence_moves_the_claim_version(editor):
    claim = factories.ClaimFactory(author=editor)
    claim.refresh_from_db()
    before = claim.version
    factories.EvidenceFactory(claim=claim)
    claim.refresh_from_db()
    assert claim.version == before + 1


@pytest.mark.django_db
def test_search_vector_follows_quote_and_claimant_edits(editor):
    from django.contrib.postgres.search import SearchQuery

    from sources.models import Person, Quote

    claim = factories.ClaimFactory(author=editor)
    quote = factories.QuoteFactory(text="the harbour will be dredged")
    factories.EvidenceFactory(claim=claim, source=quote.source, quote=quote)

    def found(word):
        return Claim.objects.filter(
            pk=claim.pk, search_vector=SearchQuery(word, config="english")
        ).exists()

    assert found("harbour")
    Quote.objects.filter(pk=quote.pk).update(text="the airport will be expanded")
    assert found("airport") and not found("harbour")
    Person.objects.filter(pk=claim.claimant_id).update(name="Wilhelmina Okonkwo")
    assert found("okonkwo")


@pytest.mark.django_db
def test_relating_two_claims_moves_both_versions(editor):
    from claims.models import ClaimRelation

    first, second = factories.ClaimFactory(author=editor), factories.ClaimFactory(author=editor)
    first.refresh_from_db()
    second.refresh_from_db()
    before = (first.version, second.version)
    ClaimRelation.objects.create(from_claim=first, to_claim=second, kind="contradicts")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (before[0] + 1, before[1] + 1)


@pytest.mark.django_db
def test_the_verdict_scale_is_seeded_by_a_migration():
    from claims.models import Rating

    assert list(Rating.objects.order_by("order").values_list("label", "slug", "value")) == [
        ("True", "true", 5), ("Mostly true", "mostly-true", 4), ("Half true", "half-true", 3),
        ("Mostly false", "mostly-false", 2), ("False", "false", 1),
        ("Misleading", "misleading", None), ("Unproven", "unproven", None),
    ]


@pytest.mark.django_db
def test_the_roles_are_groups_created_by_a_migration():
    """Editor writes the desk's content and submits; Reviewer adds the review permission; neither
    edits the verdict scale or deletes sources and people."""
    from django.contrib.auth.models import Group

    def permissions(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    editor, reviewer = permissions("Editor"), permissions("Reviewer")
    assert {"add_claim", "change_claim", "submit_claim", "add_evidence", "add_source",
            "change_quote", "add_person", "add_outlet"} <= editor
    assert "review_claim" not in editor
    assert not {"rename_public_person", "rename_public_outlet"} & editor
    # Reviewers also rename people and outlets that published fact checks show.
    assert reviewer == editor | {"review_claim", "rename_public_person", "rename_public_outlet"}
    assert not {"change_rating", "add_rating", "delete_source", "delete_person",
                "delete_outlet", "delete_claim"} & reviewer
