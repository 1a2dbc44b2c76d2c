"""The dataset builder loads with triggers off (session_replication_role), which needs a superuser
connection: on a server where the test user is not one, these tests are skipped, not failed."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _requires_superuser(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("the bench dataset builder needs a PostgreSQL superuser")
