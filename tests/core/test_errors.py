"""``StoreError`` kinds: every store failure names its cause (issue 21), read from the whole chain of causes."""

from __future__ import annotations

import errno
import sqlite3

import pytest

from stepcache_core.errors import STORE_ERROR_KINDS, StoreError, store_error_kind
from stepcache_core.store import SqliteStore
from stepcache_core.testing import make_entry


@pytest.mark.parametrize(
    "exc, kind",
    [
        (sqlite3.OperationalError("database or disk is full"), "disk_full"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk_full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read_only"),
        (OSError(errno.EROFS, "Read-only file system"), "read_only"),
        (sqlite3.OperationalError("database is locked"), "locked"),
        (sqlite3.DatabaseError("database disk image is malformed"), "malformed"),
        (sqlite3.DatabaseError("file is not a database"), "malformed"),
        (sqlite3.OperationalError("no such column: collections.config_json_str"), "version_mismatch"),
        (TimeoutError("read timed out"), "timeout"),
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "unavailable"),
        (ValueError("something else"), "other"),
    ],
)
def test_each_cause_has_its_kind(exc, kind):
    """Class: the causes a store meets (full disk, read-only mount, lock, damaged file, other version, slow or
    absent server), as SQLite, the OS and HTTP clients report them."""
    assert store_error_kind(exc) == kind
    err = StoreError.from_exception(exc, location="/tmp/x", operation="put")
    assert err.kind == kind and kind in STORE_ERROR_KINDS and err.location == "/tmp/x"
    assert (err.hint in str(err)) and (bool(err.hint) == (kind != "other"))


def test_the_kind_is_read_through_the_chain_of_causes():
    """Class: a secondary error hiding the first. A full disk ends SQLite's transaction, and the rollback that
    follows fails with "no transaction is active": the error must report the full disk."""
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError:
            raise sqlite3.OperationalError("cannot rollback - no transaction is active")  # noqa: B904
    except sqlite3.OperationalError as e:
        err = StoreError.from_exception(e, operation="put")
    assert err.kind == "disk_full" and "disk is full" in str(err) and "rollback" not in str(err)


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        StoreError("x", kind="exploded")


def test_a_read_only_file_is_a_typed_read_only_error_and_reads_still_work(tmp_path):
    """Class: a store file that cannot be written (a read-only mount, another user's file), as SQLite reports it
    (``query_only`` gives SQLite's own read-only error, also where the tests run as root). Reads still serve."""
    store = SqliteStore(tmp_path / "ro.sqlite3")
    entry = make_entry("a")
    store.put("c", entry, [1.0, 0.0])
    store._conn().execute("PRAGMA query_only=ON")
    assert store.get("c", entry.id) is not None
    with pytest.raises(StoreError) as info:
        store.put("c", make_entry("b"), [0.0, 1.0])
    assert info.value.kind == "read_only" and info.value.operation == "put"
    assert store.count("c") == 1
