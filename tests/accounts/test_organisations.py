"""Organisations (accounts/): members and managers, objects owned by a user or an organisation
(exactly one, a database check), and the selectors that put the permission in the query."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from accounts import selectors
from claims.selectors import sees_private
from factcheck.errors import NotFound, NotPermitted
from saved_searches.models import SavedSearch
from tests.accounts.helpers import organisation
from webhooks.models import WebhookEndpoint


@pytest.fixture
def team(editor, reviewer, other_reviewer):
    """The reviewer manages it, the editor and the other reviewer are members."""
    return organisation(managers=[reviewer], members=[editor, other_reviewer])


@pytest.mark.parametrize("model", [SavedSearch, WebhookEndpoint])
def test_an_owned_object_belongs_to_exactly_one_user_or_organisation(model, editor, team):
    fields = {"name": "x"} if model is SavedSearch else {"url": "https://example.org/h", "secret": "s"}
    for owners in [{}, {"owner": editor, "organisation": team}]:
        with pytest.raises(IntegrityError, match="one_owner"), transaction.atomic():
            model.objects.create(**owners, **fields)
    assert model.objects.create(organisation=team, **fields).owner_label == "Desk team"
    assert model.objects.create(owner=editor, **fields).owner_label == "ed"


def test_members_see_managers_and_the_creator_change(editor, reviewer, other_reviewer, outsider, team):
    theirs = SavedSearch.objects.create(organisation=team, created_by=editor, name="Team search")
    own = SavedSearch.objects.create(owner=outsider, created_by=outsider, name="Mine")
    everything = SavedSearch.objects.all()
    assert list(selectors.shared_with(editor, everything)) == [theirs]
    assert list(selectors.shared_with(outsider, everything)) == [own]
    assert list(selectors.shared_with(AnonymousUser(), everything)) == []
    assert list(selectors.changeable_by(reviewer, everything)) == [theirs]  # the manager
    assert list(selectors.changeable_by(editor, everything)) == [theirs]  # the creator
    assert list(selectors.changeable_by(other_reviewer, everything)) == []  # a member only
    with pytest.raises(NotPermitted):
        selectors.owned_or_404(everything, other_reviewer, theirs.pk, what="saved search", to_change=True)
    with pytest.raises(NotFound, match="No such saved search"):
        selectors.owned_or_404(everything, outsider, theirs.pk, what="saved search")
    assert selectors.owned_or_404(everything, other_reviewer, theirs.pk, what="saved search") == theirs


def test_a_creator_who_left_the_organisation_no_longer_sees_its_objects(editor, team):
    search = SavedSearch.objects.create(organisation=team, created_by=editor, name="Team search")
    team.memberships.filter(user=editor).delete()
    assert not selectors.shared_with(editor, SavedSearch.objects.all()).exists()
    assert not selectors.changeable_by(editor, SavedSearch.objects.filter(pk=search.pk)).exists()


def test_an_organisation_sees_what_all_its_members_may_see(editor, reviewer, outsider, team):
    endpoint = WebhookEndpoint.objects.create(organisation=team, url="https://example.org/h", secret="s")
    viewer = selectors.viewer_of(endpoint, sees_private=sees_private)
    assert sees_private(viewer) and viewer.memberships.filter(organisation=team).exists()
    organisation("Mixed", managers=[reviewer], members=[outsider])
    mixed = WebhookEndpoint.objects.create(organisation_id=outsider.memberships.get().organisation_id,
                                           url="https://example.org/h", secret="s")
    assert not sees_private(selectors.viewer_of(mixed, sees_private=sees_private))
    own = WebhookEndpoint.objects.create(owner=editor, url="https://example.org/h", secret="s")
    assert selectors.viewer_of(own, sees_private=sees_private) == editor


def test_administrators_manage_organisations_in_admin(client, admin_user, editor):
    client.force_login(admin_user)
    response = client.post("/admin/accounts/organisation/add/", {
        "name": "Fact desk", "slug": "fact-desk",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-0-user": editor.pk, "memberships-0-role": "manager",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [org.slug for org in selectors.organisations_of(editor)] == ["fact-desk"]
    listing = client.get("/admin/accounts/organisation/").content.decode()
    assert "Fact desk" in listing


def test_editors_cannot_manage_organisations(client, editor):
    client.force_login(editor)
    assert client.get("/admin/accounts/organisation/").status_code == 403
