"""Signals of the sources layer, for the apps above it (``sources`` never imports them)."""

from django.dispatch import Signal

# Sent with ``source=`` (a Source) when a source gets a new text snapshot, inside the transaction
# that stores it and before the row is saved (a new source has no pk yet): receivers defer their
# work with ``transaction.on_commit``.
source_snapshot_changed = Signal()
