"""A readable history of one object from its audit trail (django-pghistory events).

The database records every insert, update and delete with the changed fields and the audit
context (``factcheck.audit``: the acting user's id, the service's action). ``readable_history``
turns those rows into what an editor reads: when, who, what action, and each changed field as
"before → after" in words — field names from ``verbose_name``, choices by their label, foreign
keys by the related object's name (looked up in bulk), long texts shortened.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime
from pghistory.models import Events

# Columns every update touches or that only machines read: listing them would hide what changed.
NOT_SHOWN = {"id", "created_at", "updated_at", "version", "search_vector", "search_text",
             "content_sha256"}
WHAT = {"insert": "created", "update": "changed", "delete": "deleted"}
SHORTEN_TO = 140


@dataclass(frozen=True)
class FieldChange:
    field: str  # the field's verbose name
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    username: str  # "—" when no user is recorded (a command, a migration)
    action: str  # "changed (claim update)", "created", "deleted (claim relation remove)" …
    changes: list[FieldChange]


def _fields_by_column(model: type[models.Model]) -> dict[str, models.Field]:
    fields = {}
    for field in model._meta.concrete_fields:
        fields[field.name] = field
        fields[field.attname] = field
    return fields


def _action(event) -> str:
    what = WHAT.get(event.pgh_label, event.pgh_label)
    service = (event.pgh_context or {}).get("action")
    return f"{what} ({service.replace('_', ' ')})" if service else what


def _changed_values(event, fields: dict[str, models.Field]) -> list[tuple[models.Field, Any, Any]]:
    """(field, before, after) for the shown fields an event changed; an insert lists the
    values it set, a delete the values it removed."""
    if event.pgh_label == "update":
        pairs = ((name, *values) for name, values in (event.pgh_diff or {}).items())
    elif event.pgh_label == "delete":
        pairs = ((name, value, None) for name, value in (event.pgh_data or {}).items())
    else:
        pairs = ((name, None, value) for name, value in (event.pgh_data or {}).items())
    result = []
    for name, before, after in pairs:
        field = fields.get(name)
        if field is None or field.name in NOT_SHOWN or before == after:
            continue
        if event.pgh_label != "update" and before in (None, "") and after in (None, ""):
            continue
        result.append((field, before, after))
    return result


def _words(field: models.Field, value: Any, names: dict[tuple[type, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation and field.many_to_one:
        return names.get((field.related_model, value), f"#{value} (deleted)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is not None:
            return date_format(localtime(parsed), "DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(value, str):
        parsed = parse_date(value[:10])
        if parsed is not None:
            return date_format(parsed, "DATE_FORMAT")
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    return Truncator(str(value)).chars(SHORTEN_TO)


def readable_history(obj: models.Model, *, limit: int = 200) -> list[HistoryEntry]:
    """``obj``'s last ``limit`` audit events, newest first, in words.

    Queries: the events, the users named in their context, and one per related model whose ids
    appear in the changes (at most the model's number of foreign keys) — not one per event.
    """
    events = list(Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id")[:limit])
    fields = _fields_by_column(type(obj))
    changed = [(event, _changed_values(event, fields)) for event in events]

    wanted: dict[type, set] = defaultdict(set)
    for _, values in changed:
        for field, before, after in values:
            if field.is_relation and field.many_to_one:
                wanted[field.related_model].update(v for v in (before, after) if v is not None)
    names = {
        (model, pk): str(related)
        for model, ids in wanted.items()
        for pk, related in model._default_manager.in_bulk(list(ids)).items()
    }
    user_ids = {(event.pgh_context or {}).get("user") for event in events} - {None}
    usernames = dict(get_user_model().objects.filter(pk__in=user_ids)
                     .values_list("pk", "username")) if user_ids else {}

    return [
        HistoryEntry(
            at=event.pgh_created_at,
            username=usernames.get((event.pgh_context or {}).get("user"), "—"),
            action=_action(event),
            changes=[FieldChange(str(field.verbose_name), _words(field, before, names),
                                 _words(field, after, names)) for field, before, after in values],
        )
        for event, values in changed
    ]
