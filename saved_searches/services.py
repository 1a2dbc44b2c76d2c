"""Writes of saved searches. Each user owns theirs; the query is validated by the claims list's own
filters as the owner sees them, so a saved search always means what the list would."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from factcheck.errors import InvalidInput, NotFound, NotPermitted, StaleVersion
from saved_searches.models import SavedSearch
from saved_searches.selectors import claims_filter


def _clean(*, name: str, query: str, owner) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Name the search.", fields={"name": ["Required."]})
    query = (query or "").strip().lstrip("?")
    claims_filter(query, owner)
    return name, QueryDict(query).urlencode()


def _save(search: SavedSearch) -> None:
    try:
        with transaction.atomic():
            search.full_clean(exclude=["owner"], validate_unique=False)
            search.save()
    except IntegrityError:
        raise InvalidInput("You already have a search with this name.",
                           fields={"name": ["Already used."]}) from None


@transaction.atomic
def saved_search_create(*, actor, name: str, query: str) -> SavedSearch:
    if not (actor and actor.is_authenticated):
        raise NotPermitted("Log in to save searches.")
    name, query = _clean(name=name, query=query, owner=actor)
    search = SavedSearch(owner=actor, name=name, query=query)
    _save(search)
    return search


def _lock(search_id: int, actor, expected_version: int | None) -> SavedSearch:
    search = SavedSearch.objects.select_for_update().filter(pk=search_id, owner_id=actor.pk).first()
    if search is None:
        raise NotFound("No such saved search.")
    if expected_version is not None and expected_version != search.version:
        raise StaleVersion("The saved search has changed; reload it and try again.")
    return search


@transaction.atomic
def saved_search_update(*, actor, search_id: int, expected_version: int | None = None,
                        name: str | None = None, query: str | None = None) -> SavedSearch:
    """Rename or re-query the owner's search. Locks it; StaleVersion (412) on a stale version."""
    search = _lock(search_id, actor, expected_version)
    search.name, search.query = _clean(name=search.name if name is None else name,
                                       query=search.query if query is None else query, owner=actor)
    search.version += 1
    _save(search)
    return search


@transaction.atomic
def saved_search_delete(*, actor, search_id: int, expected_version: int | None = None) -> None:
    _lock(search_id, actor, expected_version).delete()


@transaction.atomic
def saved_search_seen(*, actor, search_id: int) -> SavedSearch:
    """The owner has looked at the results: nothing before now counts as new any more."""
    search = _lock(search_id, actor, None)
    search.last_seen_at = timezone.now()
    search.save(update_fields=["last_seen_at", "updated_at"])
    return search
