"""Input serializer base shared by the apps' APIs."""

from __future__ import annotations

from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """Refuses unknown keys instead of ignoring them: ``protected_fields`` (set only by the system
    or the workflow — the mass-assignment guard) are named read-only, anything else unknown."""

    protected_fields: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for key in data:
                if key in self.protected_fields:
                    errors[key] = ["This field is read-only."]
                elif key not in self.fields or self.fields[key].read_only:
                    errors[key] = ["Unknown field."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
