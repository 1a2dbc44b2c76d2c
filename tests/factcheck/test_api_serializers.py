"""factcheck.api.serializers.ModelShape and the schema's descriptions (factcheck.api.schema)."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from factcheck.api.serializers import ModelShape, StrictInputSerializer
from sources.models import Outlet


class OutletShape(ModelShape, model=Outlet, fields=("id", "name", "homepage_url")):
    pass


class WholeOutletShape(OutletShape, fields=("country",)):
    pass


def test_a_subclass_adds_its_fields_to_its_parents():
    assert list(WholeOutletShape().fields) == ["id", "name", "homepage_url", "country"]
    assert list(OutletShape().fields) == ["id", "name", "homepage_url"]


def test_a_model_shape_takes_its_types_from_the_model_and_requires_every_field():
    fields = OutletShape().fields
    # ``id`` is read-only (the model's auto field), which the schema also marks as always present.
    assert {name: field.required or field.read_only for name, field in fields.items()} == {
        "id": True, "name": True, "homepage_url": True}
    assert fields["homepage_url"].allow_blank is True
    assert isinstance(fields["homepage_url"], serializers.URLField)
    assert isinstance(fields["id"], serializers.IntegerField)


@pytest.fixture(scope="module")
def components():
    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def test_model_shapes_are_always_present_in_a_response(components):
    outlet = components["Outlet"]
    assert set(outlet["required"]) == set(outlet["properties"])
    # Types, lengths and help texts come from the model's fields.
    assert outlet["properties"]["domain"]["description"] == Outlet._meta.get_field("domain").help_text
    assert outlet["properties"]["domain"]["maxLength"] == Outlet._meta.get_field("domain").max_length
    # A blank URL is documented as such: a response may hold "".
    assert {"type": "string", "maxLength": 0} in outlet["properties"]["homepage_url"]["oneOf"]
    assert outlet["properties"]["updated_at"]["format"] == "date-time"


def test_components_do_not_describe_themselves_with_a_base_class_docstring(components):
    # Our serializer bases' docstrings explain code, not the component that inherits them.
    bases = [" ".join(cls.__doc__.split())[:40] for cls in (StrictInputSerializer, ModelShape)]
    described = [name for name, component in components.items()
                 if any(base in " ".join(component.get("description", "").split()) for base in bases)]
    assert described == []
    # A component's own docstring is still its description.
    assert "its source" in components["QuoteWrite"]["description"]
