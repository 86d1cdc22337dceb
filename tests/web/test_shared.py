"""Values kept in the cache every worker shares: worked out once, and a value worked out while working
out another (under a lock on the same file) does not wait for itself."""

from __future__ import annotations

import hashlib
import uuid

from iroscope.web.shared import LOCKS, shared_value


def _lock_number(name: str) -> int:
    return int(hashlib.blake2b(name.encode(), digest_size=8).hexdigest(), 16) % LOCKS


def test_a_value_is_worked_out_once_and_read_afterwards() -> None:
    name, calls = f"test:{uuid.uuid4()}", list[str]()

    def draw(text: str) -> str:
        calls.append(text)
        return text

    assert shared_value(name, lambda: draw("drawn")) == "drawn"
    assert shared_value(name, lambda: draw("again")) == "drawn"
    assert calls == ["drawn"]


def test_a_value_worked_out_inside_another_under_the_same_lock_does_not_wait_for_ever() -> None:
    outer = f"test:{uuid.uuid4()}"
    inner = next(
        name for name in (f"test:{uuid.uuid4()}" for _ in range(10_000)) if _lock_number(name) == _lock_number(outer)
    )
    assert shared_value(outer, lambda: shared_value(inner, lambda: 2) + 1) == 3
