from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triage (check-worthy sentences)"

    def ready(self) -> None:
        # Importing an article fills the queue: ``sources`` says a snapshot changed (it cannot
        # import triage), triage scores the source once the transaction has committed.
        from sources.signals import source_snapshot_changed
        from triage.receivers import triage_on_snapshot_change

        source_snapshot_changed.connect(triage_on_snapshot_change, dispatch_uid="triage_on_snapshot_change")
