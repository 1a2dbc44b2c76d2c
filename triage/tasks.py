"""Background work of triage (procrastinate tasks, found by autodiscovery).

``retrain_triage`` (daily, 03:30): retrains the check-worthiness model on the corpus and the desk's
accept/dismiss decisions; ``model_retrain`` keeps the previous model when the new one scores worse
on the held-out part of the corpus, and records every model's scores either way.
"""

from __future__ import annotations

from procrastinate.contrib.django import app

from triage import services


@app.periodic(cron="30 3 * * *", periodic_id="retrain_triage")
@app.task(queue="maintenance", queueing_lock="retrain_triage")
def retrain_triage(timestamp: int) -> None:
    services.model_retrain(note="scheduled retraining")
