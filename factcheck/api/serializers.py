"""Input serializer base shared by the apps' APIs."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
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


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class IdOrSlugRelatedField(serializers.RelatedField):
    """A related object given by its integer id or by its slug (as the list filters take it):
    ``5``, ``"5"`` or ``"ann-brown"``. Unknown → 400 naming the field. Represented by its id."""

    default_error_messages = {
        "does_not_exist": "No {model} with id or slug “{value}”.",
        "incorrect_type": "Expected an id or a slug, got {data_type}.",
    }

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        model = queryset.model._meta.verbose_name
        if isinstance(data, bool) or not isinstance(data, int | str) or data == "":
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str):
            found = queryset.filter(slug=data).first()
            if found is not None:
                return found
            if not data.isdigit():
                self.fail("does_not_exist", model=model, value=data)
        found = queryset.filter(pk=int(data)).first() if int(data) < 2**63 else None
        if found is None:
            self.fail("does_not_exist", model=model, value=data)
        return found

    def to_representation(self, value):
        return value.pk


class _ModelShapeMetaclass(serializers.SerializerMetaclass):
    """Turns ``model=`` and ``fields=`` in a ModelShape's class statement into its ``Meta``."""

    def __new__(mcs, name, bases, attrs, *, model=None, fields: tuple[str, ...] = ()):
        if model is not None or fields:
            parent = next((base.Meta for base in bases if hasattr(base, "Meta")), None)
            attrs["Meta"] = type("Meta", (), {"model": model or parent.model,
                                             "fields": (*getattr(parent, "fields", ()), *fields)})
        return super().__new__(mcs, name, bases, attrs)


class ModelShape(serializers.ModelSerializer, metaclass=_ModelShapeMetaclass):
    """An output shape made of a model's own fields, for the OpenAPI schema: their types, lengths,
    choices, blank and null values and help texts come from the model. Declared as
    ``class OutletRef(ModelShape, model=Outlet, fields=("id", "name"))``; a subclass adds its
    ``fields`` to its parent's (a reference, then the whole object). Every field is required: a
    response always holds it (a blank text as "", a missing value as null)."""

    def build_field(self, field_name, info, model_class, nested_depth):
        field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
        if not kwargs.get("read_only"):
            kwargs["required"] = True
        return field_class, kwargs
