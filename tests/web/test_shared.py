"""Values kept in the cache every worker shares: worked out once, and a value worked out while working
out another (under a lock on the same file) does not wait for itself; the cache culls itself now and then."""

from __future__ import annotations

import hashlib
import itertools
import uuid
from pathlib import Path

import pytest

from iroscope.web import shared
from iroscope.web.shared import CULL_EVERY_WRITES, LOCKS, SharedFileCache, shared_value


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


def test_the_shared_cache_looks_at_its_size_only_every_so_many_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared, "_writes", itertools.count(1))
    cache = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    for number in range(CULL_EVERY_WRITES - 1):
        cache.set(f"key-{number}", number)
    # Past MAX_ENTRIES long since: Django's own file cache would have culled at the eleventh write.
    assert len(list(tmp_path.glob("*.djcache"))) == CULL_EVERY_WRITES - 1
    cache.set("last", "kept")
    # The next write looks, finds 49 files and removes half of them (CULL_FREQUENCY 2) before writing.
    assert len(list(tmp_path.glob("*.djcache"))) == CULL_EVERY_WRITES - 1 - (CULL_EVERY_WRITES - 1) // 2 + 1
    assert cache.get("last") == "kept"
