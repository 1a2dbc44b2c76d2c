"""No lost updates: what a writer expects an object to be, compared by the service under its lock.

The API turns ``If-Match`` into an ``ExpectedEtag`` (``factcheck.api.conditional.expected_etag``);
an update or delete service locks the row, then calls ``check_expected``, which raises
``StaleVersion`` (412) when the object changed since the writer read it. Two writers holding the
same ETag: the second waits for the first's lock, then sees the new state and gets 412.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from factcheck.errors import StaleVersion


@dataclass(frozen=True)
class ExpectedEtag:
    """The entity tags a writer holds (``*``: any) and how to compute the object's current one."""

    etags: tuple[str, ...]
    etag_of: Callable[[Any], str]

    def check(self, obj) -> None:
        if "*" not in self.etags and self.etag_of(obj) not in self.etags:
            raise StaleVersion("The object has changed; reload it and try again.")


def check_expected(expected: ExpectedEtag | None, obj) -> None:
    """Call with the row locked. ``None`` (a command, a job): no expectation."""
    if expected is not None:
        expected.check(obj)
