"""Values worked out once and kept in the cache every worker on the machine shares (files under the
data folder, `settings.SHARED_CACHE_DIR`): the dashboard's figures and charts, and what a worker works
out again for children whose rows changed. The caller names a value by everything it depends on."""

from __future__ import annotations

import fcntl
import hashlib
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache

# Workers working a value out take one of these locks by the value's name, so that when many ask for
# the same value at once, one works it out and the others wait for it and read it.
LOCKS = 64
Value = TypeVar("Value")
_held: set[int] = set()  # the locks this process holds: a value worked out inside another's needs none
# Django's file cache lists its folder on every write to see whether it is over its size; with a
# thousand files that took a few milliseconds a write. Looking once every so many writes lets the
# folder grow past MAX_ENTRIES by at most that many files a worker before it is culled.
CULL_EVERY_WRITES = 50
_writes = itertools.count(1)


class SharedFileCache(FileBasedCache):
    """Django's file-based cache, looking at its size every `CULL_EVERY_WRITES` writes only."""

    def _cull(self) -> None:
        if next(_writes) % CULL_EVERY_WRITES == 0:
            super()._cull()  # type: ignore[misc]  # private in django-stubs, stable since Django 1.x


def shared_value(name: str, compute: Callable[[], Value]) -> Value:
    """The value kept under `name`, or `compute`'s, kept for the other workers."""
    shared = caches["shared"]
    value: Value | None = shared.get(name)
    if value is not None:
        return value
    lock_number = int(hashlib.blake2b(name.encode(), digest_size=8).hexdigest(), 16) % LOCKS
    if lock_number in _held:  # a lock on a file this process has locked would wait for ever
        value = compute()
        shared.set(name, value)
        return value
    locks: Path = settings.SHARED_CACHE_DIR / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with (locks / f"{lock_number}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        _held.add(lock_number)
        try:
            value = shared.get(name)
            if value is None:
                value = compute()
                shared.set(name, value)
        finally:
            _held.discard(lock_number)
    return value
