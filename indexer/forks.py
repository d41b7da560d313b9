"""Helpers made by forking this process: when that is safe, and what a
forked helper lets go of.

A fork starts at once, with every module imported and every posting held in
memory, where a new interpreter ("spawn") imports the modules again (0.3 s)
and is handed its data in files.  It is safe on Linux in a process running
no other thread: a fork copies the other threads' locks, held or not, and
not the threads that would release them.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

#: How helpers start: "fork" or "spawn"; None for "fork" where it is safe.
START_METHOD: str | None = None

#: The file descriptors of the index locks this process holds
#: (`IndexStore.lock`).  A forked helper closes its copies: one left
#: running after its run must never keep an index locked.
HELD_LOCKS: set[int] = set()


def method() -> str:
    """How to start a helper now: "fork" or "spawn" (`START_METHOD`)."""
    if START_METHOD is not None:
        return START_METHOD
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def let_go_of_locks() -> None:
    """In a forked helper: close its copies of the index locks (the
    parent's stay held: a lock goes with the last copy of it)."""
    for fd in HELD_LOCKS:
        with contextlib.suppress(OSError):
            os.close(fd)
    HELD_LOCKS.clear()
