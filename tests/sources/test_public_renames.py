"""Every change to what readers see is recorded and allowed: people and outlets are in the audit
trail with the acting user; renaming one that published fact checks show needs the reviewer role
(sources.services.person_update/outlet_update) and moves the "last updated" time and ETag of the
public claim pages showing it (triggers in claims migration 0010)."""

from __future__ import annotations

import pytest
from lxml import html
from pghistory.models import Events

from factcheck.actors import SYSTEM
from factcheck.errors import NotPermitted
from sources import services
from sources.models import Outlet, Person
from tests import factories
from tests.api_helpers import assert_error, session_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def last_updated(client, claim) -> tuple[str, str]:
    """The claim page's "Last updated" datetime and its ETag."""
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    times = html.fromstring(response.content).cssselect(".claim__footer time")
    return times[-1].get("datetime"), response["ETag"]


# --- The rule ---------------------------------------------------------------------------------


def test_editor_cannot_rename_the_claimant_of_a_published_claim(editor, claim_in):
    claim = claim_in("published")
    with pytest.raises(NotPermitted) as refused:
        services.person_update(person=claim.claimant, actor=editor, name="Someone Else")
    assert refused.value.message == (
        "Renaming a person that published fact checks show needs the reviewer role.")
    assert Person.objects.get(pk=claim.claimant_id).name != "Someone Else"


def test_editor_may_still_edit_other_fields_and_rename_private_people(editor, claim_in):
    published = claim_in("published")
    services.person_update(person=published.claimant, actor=editor, title="Senator")
    draft = claim_in("draft")
    renamed = services.person_update(person=draft.claimant, actor=editor, name="Draft Person")
    assert renamed.name == "Draft Person"


def test_editor_cannot_rename_a_speaker_or_outlet_of_a_published_claim(editor, claim_in):
    claim = claim_in("published")
    appearance = claim.evidence.get(relation="appearance")
    with pytest.raises(NotPermitted):
        services.person_update(person=appearance.quote.speaker, actor=editor, name="New Name")
    with pytest.raises(NotPermitted) as refused:
        services.outlet_update(outlet=appearance.source.outlet, actor=editor, name="New Outlet")
    assert refused.value.message == (
        "Renaming an outlet that published fact checks show needs the reviewer role.")


def test_api_rename_by_an_editor_is_403_and_by_a_reviewer_200(editor, reviewer, claim_in):
    claim = claim_in("published")
    path = f"/api/v1/people/{claim.claimant_id}/"
    as_editor = session_client(editor)
    refused = as_editor.patch(path, {"name": "Renamed"}, format="json",
                              HTTP_IF_MATCH=as_editor.get(path)["ETag"])
    assert_error(refused, 403, "permission_denied")
    as_reviewer = session_client(reviewer)
    accepted = as_reviewer.patch(path, {"name": "Renamed"}, format="json",
                                 HTTP_IF_MATCH=as_reviewer.get(path)["ETag"])
    assert accepted.status_code == 200
    assert accepted.json()["name"] == "Renamed"


def test_reviewer_role_holds_the_rename_permissions(reviewer, editor):
    assert reviewer.has_perm("sources.rename_public_person")
    assert reviewer.has_perm("sources.rename_public_outlet")
    assert not editor.has_perm("sources.rename_public_person")


# --- Public pages move ------------------------------------------------------------------------


# Each write commits (transaction=True): ``updated_at`` is the transaction's time, so the
# rename must run in a later transaction than the publication, as it does in real life.
REAL_TRANSACTIONS = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@REAL_TRANSACTIONS
def test_renaming_a_claimant_moves_the_claim_pages_last_updated_and_etag(client, reviewer, claim_in):
    claim = claim_in("published")
    before = last_updated(client, claim)
    services.person_update(person=claim.claimant, actor=reviewer, name="Renamed Claimant")
    after = last_updated(client, claim)
    assert after[0] > before[0] and after[1] != before[1]
    claim_version = type(claim).objects.get(pk=claim.pk).version
    assert claim_version > claim.version
    assert "Renamed Claimant" in client.get(claim.get_absolute_url()).content.decode()


@REAL_TRANSACTIONS
def test_renaming_a_speaker_moves_the_claim_pages_last_updated(client, reviewer, claim_in):
    claim = claim_in("published")
    speaker = claim.evidence.get(relation="appearance").quote.speaker
    assert speaker.pk != claim.claimant_id
    before = last_updated(client, claim)
    services.person_update(person=speaker, actor=reviewer, name="Renamed Speaker")
    after = last_updated(client, claim)
    assert after[0] > before[0] and after[1] != before[1]
    claim_version = type(claim).objects.get(pk=claim.pk).version
    assert claim_version > claim.version


@REAL_TRANSACTIONS
def test_renaming_an_outlet_moves_the_claim_pages_last_updated(client, reviewer, claim_in):
    claim = claim_in("published")
    outlet = claim.evidence.get(relation="appearance").source.outlet
    before = last_updated(client, claim)
    services.outlet_update(outlet=outlet, actor=reviewer, name="Renamed Outlet")
    after = last_updated(client, claim)
    assert after[0] > before[0] and after[1] != before[1]
    claim_version = type(claim).objects.get(pk=claim.pk).version
    assert claim_version > claim.version
    assert "Renamed Outlet" in client.get(claim.get_absolute_url()).content.decode()


# --- Audit trail ------------------------------------------------------------------------------


def test_person_and_outlet_changes_are_recorded_with_the_acting_user(reviewer, claim_in):
    claim = claim_in("published")
    client = session_client(reviewer)
    path = f"/api/v1/people/{claim.claimant_id}/"
    client.patch(path, {"name": "Audited Name"}, format="json", HTTP_IF_MATCH=client.get(path)["ETag"])
    event = Events.objects.tracks(Person.objects.get(pk=claim.claimant_id)).order_by("pgh_id").last()
    assert event.pgh_label == "update"
    assert event.pgh_diff["name"][1] == "Audited Name"
    assert event.pgh_context["user"] == reviewer.pk

    outlet = factories.OutletFactory()
    path = f"/api/v1/outlets/{outlet.pk}/"
    admin_client = session_client(reviewer)
    response = admin_client.patch(path, {"homepage_url": "https://outlet.example/"}, format="json",
                                  HTTP_IF_MATCH=admin_client.get(path)["ETag"])
    assert response.status_code == 200, response.content
    event = Events.objects.tracks(Outlet.objects.get(pk=outlet.pk)).order_by("pgh_id").last()
    assert event.pgh_diff["homepage_url"] == ["", "https://outlet.example/"]
    assert event.pgh_context["user"] == reviewer.pk


def test_system_may_rename(claim_in):
    claim = claim_in("published")
    assert services.person_update(person=claim.claimant, actor=SYSTEM, name="By Command").name == "By Command"


def test_admin_refuses_an_editors_rename_of_a_public_claimant_and_records_a_reviewers(
        client, editor, reviewer, claim_in):
    claim = claim_in("published")
    person = claim.claimant
    form = {"name": "Renamed In Admin", "kind": person.kind, "title": person.title,
            "country": person.country, "wikidata_id": person.wikidata_id,
            "aliases": ",".join(person.aliases), "url": person.url, "_save": "Save"}
    client.force_login(editor)
    refused = client.post(f"/admin/sources/person/{person.pk}/change/", form)
    assert refused.status_code == 200
    assert "Renaming a person that published fact checks show needs the reviewer role." in (
        refused.content.decode())
    assert Person.objects.get(pk=person.pk).name == person.name
    client.force_login(reviewer)
    accepted = client.post(f"/admin/sources/person/{person.pk}/change/", form)
    assert accepted.status_code == 302
    event = Events.objects.tracks(Person.objects.get(pk=person.pk)).order_by("pgh_id").last()
    assert event.pgh_data["name"] == "Renamed In Admin"
    assert event.pgh_context["user"] == reviewer.pk
