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

from factcheck.errors import NotFound, StaleVersion


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


def lock_row(model, pk: int, *, expected: ExpectedEtag | None = None, not_found: str = "",
             no_key: bool = True):
    """The row ``pk`` of ``model``, locked until the transaction ends (FOR NO KEY UPDATE by
    default: rows merely referencing it are not blocked) and checked against ``expected``.
    Call inside ``transaction.atomic``. Raises NotFound, StaleVersion."""
    obj = model.objects.select_for_update(no_key=no_key).filter(pk=pk).first()
    if obj is None:
        raise NotFound(not_found or f"No such {model._meta.verbose_name}.")
    check_expected(expected, obj)
    return obj
