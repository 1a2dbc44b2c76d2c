"""Field helpers shared by every app's services: refuse protected fields, apply edits, make slugs."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from factcheck.errors import InvalidInput


def unique_slug(model, base: str, *, max_length: int = 80) -> str:
    """A slug made from ``base`` that no row of ``model`` uses yet (``-2``, ``-3``… appended)."""
    base = slugify(base)[:max_length].strip("-") or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def refuse_unknown_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    """Raise InvalidInput (``read_only_field``, naming each field) if ``fields`` has any key a
    caller may not set — so a protected field is refused, never silently written."""
    refused = sorted(set(fields) - allowed)
    if refused:
        raise InvalidInput(
            f"Not editable: {', '.join(refused)}.", code="read_only_field",
            fields={name: ["This field is read-only."] for name in refused},
        )


def apply_fields(instance, fields: dict[str, Any], allowed: set[str]) -> list[str]:
    """Set the allowed ``fields`` on ``instance`` (unsaved); return the names that changed."""
    refuse_unknown_fields(fields, allowed)
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
