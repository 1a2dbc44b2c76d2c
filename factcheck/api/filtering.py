"""Filter classes shared by the apps' FilterSets."""

from __future__ import annotations

import django_filters as filters

TRUE_VALUES = {"true", "1"}


class StrictBooleanFilter(filters.ChoiceFilter):
    """``true``/``false`` (or 1/0); anything else is a 400 naming the parameter, never ignored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if self.method is not None:
            return super().filter(qs, value)
        return qs.filter(**{self.field_name: value in TRUE_VALUES})


def as_bool(value: str) -> bool:
    return value in TRUE_VALUES
