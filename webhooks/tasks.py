"""Webhook jobs (found by procrastinate's task autodiscovery)."""

from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from webhooks import services

# Waits of 3^1, 3^2, … 3^10 seconds: about 24 hours of retries, 11 attempts in all.
DELIVERY_RETRY = RetryStrategy(max_attempts=10, exponential_wait=3,
                               retry_exceptions={services.DeliveryFailed})


@app.task(queue="webhooks", queueing_lock="webhooks-dispatch")
def dispatch_deliveries() -> None:
    """Queued by each new event (in its transaction): hand the settled events to the endpoints."""
    services.deliveries_dispatch()


@app.task(queue="webhooks", retry=DELIVERY_RETRY, pass_context=True)
def deliver(context, delivery_id: int) -> None:
    # ``attempts`` counts the earlier attempts; the queue retries no more after max_attempts.
    final = context.job.attempts >= DELIVERY_RETRY.max_attempts
    services.delivery_attempt(delivery_id, final=final)
