"""Which index folders groundsearch reads: only those it built for this user.

Whoosh unpickles its files (the table of contents, stored fields, postings),
so an index folder crafted by someone else, handed to `--index` or
`$GROUNDSEARCH_INDEX`, could run any code on `search`.  Checking that the
files look like an index cannot stop that; so every generation is sealed
when it is published, and checked before Whoosh or SQLite reads a byte:

- A secret key of this user's, 32 random bytes made on first use, lives
  outside every index: `$XDG_CONFIG_HOME/groundsearch/key` (mode 600, in a
  folder of mode 700; `~/.config` by default).
- `seal` writes `MANIFEST` into the generation: every file in it, with its
  size, SHA-256 and identity (device, inode, modification and change
  times), and an HMAC-SHA256 of that list under the key.  No one without
  the key can make a manifest this user's groundsearch accepts.
- `verify` checks the manifest's HMAC, that the index folder, the
  generation and its files belong to this user and that no one else can
  write to them (as ssh treats its keys), and that the generation holds
  exactly the listed files, each unchanged since it was sealed: the same
  identity (a change of content or mode changes the change time), or, for
  a file copied or moved since, the same SHA-256.  `Sealed.storage()` is
  what Whoosh reads through: it lists only the sealed files and opens each
  without following links, checking the opened file itself.

What this does not stop: anyone who can read the key or write as this user
(they can run code as this user anyway), or root.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from ..errors import IndexCorrupt, IndexOutdated

MANIFEST = "MANIFEST"
KEY_FILE = "key"
_VERSION = 1
_MAX_MANIFEST = 1 << 20
_NO_LINK = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class IndexUntrusted(IndexCorrupt):
    """The index was not built by this user's groundsearch (another user's
    or another key's, or crafted), or others can write to it: never read."""


def key_path() -> Path:
    """Where this user's key lives."""
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "groundsearch" / KEY_FILE


def key(create: bool = False) -> bytes | None:
    """This user's key; made (atomically) when `create` and there is none.
    None when there is none.  A key that others may read or write, or that
    is not this user's own regular file, is refused: it would let them seal
    an index."""
    path = key_path()
    try:
        fd = os.open(path, os.O_RDONLY | _NO_LINK)
    except FileNotFoundError:
        if not create:
            return None
        return _make_key(path)
    except OSError as exc:
        raise IndexUntrusted(f"cannot read the index key {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            raise IndexUntrusted(f"the index key {path} is not your own file; remove it")
        if info.st_mode & 0o077:
            raise IndexUntrusted(
                f"the index key {path} can be read or written by others; "
                f"`chmod 600 {path}` (and rebuild indexes others may have sealed)"
            )
        secret = bytes.fromhex(handle.read(200).decode("ascii", "replace").strip() or "zz")
    return secret


def _make_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = os.urandom(32)
    temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_LINK, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secret.hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # never replaces a key another process just made
        except FileExistsError:
            return key()
    finally:
        temporary.unlink(missing_ok=True)
    return secret


def _identity(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def _sha256(fd: int) -> str:
    digest = hashlib.sha256()
    os.lseek(fd, 0, os.SEEK_SET)
    while chunk := os.read(fd, 1 << 20):
        digest.update(chunk)
    os.lseek(fd, 0, os.SEEK_SET)
    return digest.hexdigest()


def _entries(generation: Path) -> tuple[list[str], list[str]]:
    """The files (but the manifest) and the folders under `generation`, as
    relative paths; links count as files (`Sealed.open` refuses them)."""
    files, folders = [], []
    for folder, inner, names in os.walk(generation):
        here = Path(folder).relative_to(generation)
        for name in inner:
            if os.path.islink(os.path.join(folder, name)):
                files.append((here / name).as_posix())
            else:
                folders.append((here / name).as_posix())
        files += [(here / name).as_posix() for name in names]
    return sorted(f for f in files if f != MANIFEST), sorted(folders)


def _signature(secret: bytes, body: dict) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(secret, text, hashlib.sha256).hexdigest()


def seal(root: Path, generation: Path) -> None:
    """Write the generation's `MANIFEST` (see the module's docstring); no one
    but this user may write the generation or its files afterwards."""
    secret = key(create=True)
    _not_writable_by_others(root)
    _not_writable_by_others(generation)
    files = {}
    names, folders = _entries(generation)
    for name in folders:
        _not_writable_by_others(generation / name)
    for name in names:
        fd = os.open(generation / name, os.O_RDONLY | _NO_LINK)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise IndexCorrupt(f"{generation / name} is not a regular file")
            if info.st_mode & 0o022:
                os.fchmod(fd, info.st_mode & 0o7755)
                info = os.fstat(fd)
            files[name] = {"sha256": _sha256(fd), "identity": _identity(info)}
        finally:
            os.close(fd)
    body = {"version": _VERSION, "generation": generation.name, "files": files}
    data = json.dumps({**body, "hmac": _signature(secret, body)}, indent=1).encode()
    fd = os.open(generation / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_LINK, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _not_writable_by_others(folder: Path) -> None:
    info = folder.lstat()
    if info.st_mode & 0o022 and info.st_uid == os.geteuid():
        folder.chmod(stat.S_IMODE(info.st_mode) & ~0o022)


@dataclass
class Sealed:
    """A verified generation: the files it was sealed with and the identity
    each may have when opened (as sealed, or as found when hashed)."""

    root: Path
    generation: Path
    files: dict[str, dict]
    hint: str
    verified: dict[str, list[int]] = field(default_factory=dict)

    def storage(self) -> FileStorage:
        """A read-only Whoosh storage of the generation that reads only its
        sealed files, each checked as it is opened."""
        return _SealedStorage(self)

    def open(self, name: str) -> int:
        """A descriptor of the sealed file `name`, opened without following
        links and checked: its identity as sealed or as verified, else its
        SHA-256 (then it must be this user's, writable by no one else)."""
        entry = self.files.get(name)
        if entry is None:
            raise _damaged(self.hint, self.root, f"{name} is not one of its files")
        try:
            fd = os.open(self.generation / name, os.O_RDONLY | _NO_LINK)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise _damaged(self.hint, self.root, f"{name} is a link") from None
            raise _damaged(self.hint, self.root, f"{name}: {exc.strerror or exc}") from None
        try:
            info = os.fstat(fd)
            found = _identity(info)
            if found == entry["identity"] or found == self.verified.get(name):
                return fd
            _owned(self.root, self.generation / name, info, self.hint)
            if not stat.S_ISREG(info.st_mode) or _sha256(fd) != entry["sha256"]:
                raise _damaged(self.hint, self.root, f"{name} changed since the index was built")
            self.verified[name] = found
            return fd
        except BaseException:
            os.close(fd)
            raise


def verify(root: Path, generation: Path, hint: str) -> Sealed:
    """Check the generation before anything reads it (see the module's
    docstring); raises `IndexOutdated` when it has no manifest (built before
    indexes were sealed), `IndexUntrusted` when it is not this user's own,
    `IndexCorrupt` when a file changed; each message ends with `hint`, the
    command that rebuilds the index."""
    for folder in (root, generation):
        _owned(root, folder, folder.lstat(), hint)
    try:
        fd = os.open(generation / MANIFEST, os.O_RDONLY | _NO_LINK)
    except FileNotFoundError:
        raise IndexOutdated(
            f"the index at {root} was built before groundsearch sealed its indexes, or not by "
            f"groundsearch; {hint}"
        ) from None
    except OSError as exc:
        raise _damaged(hint, root, f"{MANIFEST}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        _owned(root, generation / MANIFEST, os.fstat(handle.fileno()), hint)
        data = handle.read(_MAX_MANIFEST + 1)
    try:
        manifest = json.loads(data)
        body = {k: manifest[k] for k in ("version", "generation", "files")}
        signature = str(manifest["hmac"])
        files = dict(body["files"])
    except (ValueError, KeyError, TypeError):
        raise _damaged(hint, root, f"its {MANIFEST} is damaged") from None
    secret = key()
    if secret is None or not hmac.compare_digest(_signature(secret, body), signature):
        raise IndexUntrusted(
            f"will not open the index at {root}: it was not built with your key ({key_path()}), "
            f"so it may be another user's or crafted, and reading a crafted index can run code; "
            f"{hint}"
        )
    if body["version"] != _VERSION or body["generation"] != generation.name:
        raise _damaged(hint, root, f"its {MANIFEST} belongs to {body['generation']}")
    sealed = Sealed(root, generation, files, hint)
    present, folders = _entries(generation)
    for name in sorted(set(present) - set(files)):
        raise _damaged(hint, root, f"it holds {name}, which it was not built with")
    for name in sorted(set(files) - set(present)):
        raise _damaged(hint, root, f"{name} is missing")
    for name in folders:
        _owned(root, generation / name, (generation / name).lstat(), hint)
    for name in files:
        os.close(sealed.open(name))
    return sealed


def storage_of(generation: Path, hint: str, *, unsealed_if_own: bool = False) -> FileStorage:
    """A Whoosh storage to read `generation` (in its index folder) through,
    once verified.  With `unsealed_if_own`, a generation from before indexes
    were sealed is read too (`index` carries its passage ids over) if it,
    its folder and its files are this user's and writable by no one else."""
    root = generation.parent
    try:
        return verify(root, generation, hint).storage()
    except IndexOutdated:
        if not unsealed_if_own:
            raise
    files, folders = _entries(generation)
    for path in (root, generation, *(generation / name for name in files + folders)):
        _owned(root, path, path.lstat(), hint)
    return FileStorage(str(generation), readonly=True, supports_mmap=False)


def _owned(root: Path, path: Path, info: os.stat_result, hint: str) -> None:
    """Raise unless `path` is this user's and no one else can write to it."""
    if info.st_uid != os.geteuid():
        raise IndexUntrusted(
            f"will not open the index at {root}: {path} belongs to another user (uid "
            f"{info.st_uid}), and reading a crafted index can run code; build your own with "
            f"{hint.removeprefix('run ')}"
        )
    if stat.S_ISLNK(info.st_mode):
        raise IndexUntrusted(f"will not open the index at {root}: {path} is a link")
    if info.st_mode & 0o022:
        raise IndexUntrusted(
            f"will not open the index at {root}: others can write to {path} "
            f"(`chmod go-w {path}`), and reading a crafted index can run code"
        )


def _damaged(hint: str, root: Path, detail: str) -> IndexCorrupt:
    return IndexCorrupt(f"cannot open the index at {root} ({detail}); {hint}")


class _SealedStorage(FileStorage):
    """Whoosh's file storage, reading only the sealed files (see `Sealed.open`)."""

    def __init__(self, sealed: Sealed):
        super().__init__(str(sealed.generation), supports_mmap=False, readonly=True)
        self._sealed = sealed

    def list(self):
        return [name for name in self._sealed.files if "/" not in name]

    def open_file(self, name, **kwargs):
        return StructFile(os.fdopen(self._sealed.open(name), "rb"), name=name, **kwargs)
