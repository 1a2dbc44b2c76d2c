"""Background jobs: the ``Job`` resource (what was asked, by whom, and how it went) on top of
procrastinate's PostgreSQL queue. Task modules live in the apps that own the work
(``sources/tasks.py``, ``claims/tasks.py``); this app knows none of them."""
