"""The admin claims list's query string (its search box and list filters) as the API claims list's
query (``/api/v1/claims/``), for "Save this search".

Each admin parameter with an API equivalent is translated (ids of ratings and topics to their
slugs); the rest — the desk's own queues, the assignee, the date drill-down, "empty" choices — have
none and are returned by name, so the page can say so instead of dropping them silently. Ordering
and paging are not filters and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from claims.models import Rating, Topic

# Changelist parameters that are not filters (ordering, page, popups, "show all").
NOT_FILTERS = {"o", "p", "all", "e", "_popup", "_to_field", "_changelist_filters"}
# Why an admin filter has no API equivalent, by parameter (or parameter prefix).
WITHOUT_EQUIVALENT = {
    "queue": _("the desk's queues (my claims, assigned, returned, waiting for my review)"),
    "assignee": _("the assignee"),
    "updated_at": _("the dates along the top (the API has only “updated after”)"),
}


def _slug_of(model, value: str) -> str | None:
    if not value.isdigit():
        return None
    return model.objects.filter(pk=int(value)).values_list("slug", flat=True).first()


@dataclass
class Translation:
    query: str = ""
    # (admin parameter=value, why it has no equivalent)
    untranslated: list[tuple[str, str]] = field(default_factory=list)


def api_query_from_admin(admin_query: str) -> Translation:
    """``admin_query`` (the claims changelist's query string) as an API claims list query."""
    api = QueryDict(mutable=True)
    result = Translation()
    for name, values in QueryDict(admin_query).lists():
        for value in values:
            if name in NOT_FILTERS or value == "":
                continue
            translated = _translate(name, value)
            if isinstance(translated, tuple):
                api.appendlist(*translated)
            else:
                result.untranslated.append((f"{name}={value}", translated))
    result.query = api.urlencode()
    return result


def _translate(name: str, value: str) -> tuple[str, str] | str:
    """(API parameter, value), or why there is none."""
    if name == "q":
        return "q", value
    if name == "status__exact":
        return "status", value
    if name == "evidence":
        return "evidence", value
    if name == "claimant__id__exact":
        return "claimant", value
    for param, model, api_name in [("rating__id__exact", Rating, "rating"),
                                   ("topics__id__exact", Topic, "topic")]:
        if name == param:
            slug = _slug_of(model, value)
            return (api_name, slug) if slug else str(_("no such %(what)s") % {"what": api_name})
    for prefix, why in WITHOUT_EQUIVALENT.items():
        if name == prefix or name.startswith(f"{prefix}__"):
            return str(why)
    if name.endswith("__isnull"):
        return str(_("“empty” choices"))
    return str(_("not a filter the API's claims list has"))
