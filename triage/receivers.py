"""Signal receivers: importing an article fills the triage queue."""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def triage_on_snapshot_change(sender, source, **kwargs) -> None:
    """Score the source's sentences once the transaction storing its snapshot has committed
    (the source then has its pk and its quotes). A failure is logged, never raised into the
    import that has already committed: the editor can re-run ``source_triage``."""
    if not source.content:
        return

    def run() -> None:
        from triage.services import source_triage

        if source.pk is None:
            return
        try:
            source_triage(source_id=source.pk)
        except Exception:  # noqa: BLE001 - the import stands; the queue can be refilled later
            logger.exception("Triage of source %s failed", source.pk)

    transaction.on_commit(run)
