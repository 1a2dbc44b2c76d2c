"""The local webhook receiver fixture (tests/webhooks/helpers.py) for these tests."""

from tests.webhooks.helpers import receiver  # noqa: F401 - a fixture
