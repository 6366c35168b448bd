"""File storage: atomic writes, correct hashes, keys that cannot leave the root."""
import hashlib
import io

import pytest

from app.core.storage import Storage, TooLarge


@pytest.fixture
def store(tmp_path):
    return Storage(tmp_path / "store")


def _all_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_save_hashes_and_stores(store):
    data = b"kode,nama\n32.73,Kota Bandung\n" * 1000
    stored = store.save(io.BytesIO(data), suffix=".csv")
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.key.endswith(".csv")
    with store.open(stored.key) as fh:
        assert fh.read() == data
    assert _all_files(store.root) == [stored.key]


def test_too_large_leaves_no_file_and_no_part(store):
    with pytest.raises(TooLarge) as info:
        store.save(io.BytesIO(b"x" * (3 * 1024 * 1024)), max_bytes=2 * 1024 * 1024)
    assert info.value.limit == 2 * 1024 * 1024
    assert _all_files(store.root) == []


def test_exactly_the_limit_is_accepted(store):
    stored = store.save(io.BytesIO(b"x" * 1000), max_bytes=1000)
    assert stored.size == 1000


class _BrokenStream:
    def __init__(self):
        self.calls = 0

    def read(self, n=-1):
        self.calls += 1
        if self.calls > 2:
            raise OSError("koneksi terputus")
        return b"x" * 1024


def test_a_stream_that_breaks_leaves_nothing(store):
    with pytest.raises(OSError):
        store.save(_BrokenStream())
    assert _all_files(store.root) == []


@pytest.mark.parametrize("key", ["../escape.csv", "../../etc/passwd", "/etc/passwd",
                                 "ab/../../x", ".."])
def test_keys_cannot_escape_the_root(store, key):
    with pytest.raises(ValueError):
        store.path(key)


def test_delete_and_exists(store):
    stored = store.save(io.BytesIO(b"abc"))
    assert store.exists(stored.key)
    store.delete(stored.key)
    assert not store.exists(stored.key)
    store.delete(stored.key)  # deleting twice is fine


def test_workdir_is_inside_the_store_and_cleaned(store):
    work = store.workdir()
    assert store.root in work.parents
    (work / "a.csv").write_text("x")
    store.cleanup(work)
    assert not work.exists()


def test_health_probe_leaves_nothing(store):
    assert store.health() == {"ok": True}
    assert _all_files(store.root) == []
