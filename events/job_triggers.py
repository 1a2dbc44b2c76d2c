"""SQL for migrations: a trigger that queues a job whenever change-feed events are written, in
the events' own transaction — one queued run at a time (procrastinate's queueing lock), and only
while ``condition`` (an SQL expression) holds, e.g. while some webhook endpoint is active."""

from __future__ import annotations


def queue_job_on_event(name: str, *, condition: str, task: str, lock: str,
                       queue: str = "webhooks") -> tuple[str, str]:
    """(forward, backward) SQL for ``migrations.RunSQL``: trigger and function ``name``."""
    # Names and SQL written in migrations, never user input.
    forward = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {condition} THEN
        INSERT INTO procrastinate_jobs (queue_name, task_name, args, queueing_lock)
        VALUES ('{queue}', '{task}', '{{}}'::jsonb, '{lock}')
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {name} AFTER INSERT ON events_event
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""  # noqa: S608
    backward = f"""
DROP TRIGGER IF EXISTS {name} ON events_event;
DROP FUNCTION IF EXISTS {name}();
"""
    return forward, backward
