"""/api/v1/ routes (included from factcheck/urls.py)."""

from __future__ import annotations

app_name = "api"

urlpatterns: list = []
