"""File storage on a local (or shared, mounted) directory.

Writes go to a temporary file in the same directory tree and are renamed into place, so a
reader never sees half a file and a crash leaves no partial upload behind.
"""
import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1024 * 1024


class TooLarge(Exception):
    """The stream was longer than the limit; nothing was kept."""

    def __init__(self, limit):
        super().__init__(limit)
        self.limit = limit


@dataclass
class StoredFile:
    key: str
    sha256: str
    size: int


class Storage:
    def __init__(self, root):
        self.root = Path(root)

    def _scratch(self):
        # Made on first use, not at start-up: a broken store must not stop the app (healthz
        # has to be able to say so).
        path = self.root / "tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def path(self, key):
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("storage key escapes the storage root")
        return path

    def save(self, stream, max_bytes=None, suffix=""):
        """Copy a binary stream into storage, hashing as it goes. Raises TooLarge past max_bytes."""
        key = self._new_key(suffix)
        tmp = self._scratch() / f"{uuid.uuid4().hex}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with open(tmp, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge(max_bytes)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            self._publish(tmp, key)
        finally:
            tmp.unlink(missing_ok=True)
        return StoredFile(key=key, sha256=digest.hexdigest(), size=size)

    def save_file(self, src_path, suffix=""):
        """Move a finished local file (e.g. a normalised CSV) into storage."""
        with open(src_path, "rb") as src:
            return self.save(src, suffix=suffix)

    def open(self, key):
        return open(self.path(key), "rb")

    def delete(self, key):
        self.path(key).unlink(missing_ok=True)

    def exists(self, key):
        return self.path(key).exists()

    def workdir(self):
        """A private scratch directory inside the store (same filesystem: renames stay atomic)."""
        path = self._scratch() / uuid.uuid4().hex
        path.mkdir()
        return path

    def cleanup(self, workdir):
        shutil.rmtree(workdir, ignore_errors=True)

    def health(self):
        """Write, read back and remove a probe file."""
        try:
            probe = self.save(_BytesReader(b"ok"))
            ok = self.path(probe.key).read_bytes() == b"ok"
            self.delete(probe.key)
            return {"ok": ok}
        except OSError as exc:
            return {"ok": False, "error": str(exc)}

    def _new_key(self, suffix):
        name = uuid.uuid4().hex
        return f"{name[:2]}/{name[2:4]}/{name}{suffix}"

    def _publish(self, tmp, key):
        final = self.root / key
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)


class _BytesReader:
    def __init__(self, data):
        self.data = data

    def read(self, n=-1):
        data, self.data = self.data, b""
        return data


def from_app(app=None):
    """The storage configured for the current app."""
    from flask import current_app

    app = app or current_app
    if "storage" not in app.extensions:
        app.extensions["storage"] = Storage(app.config["STORAGE_DIR"])
    return app.extensions["storage"]
