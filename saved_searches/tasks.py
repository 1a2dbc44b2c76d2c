"""Saved-search jobs (found by procrastinate's task autodiscovery)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from saved_searches import services


@app.task(queue="webhooks", queueing_lock="saved-searches-match")
def match_saved_searches() -> None:
    """Queued by each new event while a search notifies (in its transaction): match the settled
    events against the notifying searches, a delivery per match."""
    services.matches_dispatch()
