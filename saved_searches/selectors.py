"""Reads of saved searches: a user's own and their organisations', the claims each one matches,
and what is new."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import QueryDict

from accounts.selectors import owned_or_404, shared_with, viewer_of
from claims.filters import ClaimFilter
from claims.models import Claim
from claims.selectors import claims_visible_to, sees_private
from factcheck.errors import InvalidInput
from saved_searches.models import SavedSearch

# "New" is counted up to this many: a count never reads the whole table.
NEW_MATCHES_CAP = 1000
# Parameters of the claims list that are not filters and make no sense in a saved search.
NOT_SAVED = {"cursor", "page_size", "format"}


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    """The searches ``user`` may see: their own and their organisations' (``accounts.selectors``)."""
    return shared_with(user, SavedSearch.objects.select_related("organisation", "owner"))


def saved_search_of(user, pk, *, to_change: bool = False, lock: bool = False) -> SavedSearch:
    """Search ``pk`` if ``user`` may see it (``to_change``: change it), else NotFound (NotPermitted
    for a member who may see but not change it); ``lock``: locked for the rest of the transaction."""
    searches = SavedSearch.objects.select_for_update(of=("self",)) if lock else saved_searches_of(user)
    return owned_or_404(searches, user, pk, what="saved search", to_change=to_change)


def search_viewer(search: SavedSearch):
    """Whose eyes a search's notifications match with (``accounts.selectors.viewer_of``)."""
    return viewer_of(search, sees_private=sees_private)


def claims_filter(query: str, user) -> ClaimFilter:
    """The claims list's FilterSet for ``query`` as ``user`` sees it; InvalidInput naming every bad
    or unknown parameter (``query.<name>``) otherwise."""
    params = QueryDict(query, mutable=False)
    allowed = set(ClaimFilter.base_filters)
    problems = {f"query.{name}": ["Not a filter of the claims list."]
                for name in params if name not in allowed or name in NOT_SAVED}
    filterset = ClaimFilter(params, queryset=claims_visible_to(user))
    if not problems and not filterset.is_valid():
        problems = {f"query.{name}": [str(m) for m in messages]
                    for name, messages in filterset.errors.items()}
    if problems:
        raise InvalidInput("The query is not a valid claims list query.", fields=problems)
    return filterset


def saved_search_claims(search: SavedSearch, user) -> QuerySet[Claim]:
    return claims_filter(search.query, user).qs


def new_matches(search: SavedSearch, user) -> int:
    """How many of the search's claims were created or published since its owner's last visit
    (at most NEW_MATCHES_CAP)."""
    seen = search.last_seen_at
    fresh = saved_search_claims(search, user).filter(Q(created_at__gt=seen) | Q(published_at__gt=seen))
    return fresh.order_by().values("pk")[:NEW_MATCHES_CAP].count()
