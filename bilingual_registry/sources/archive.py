"""Directories and zip archives of records, accepted wherever a single file is.

Each input expands to (name, bytes) entries, or (name, error) for an entry that must not be read, so
one bad entry never hides the others. Archives are read in memory, never unpacked to disk, and still
refuse what an unpacker would have to trust: entries whose path leaves the archive (`..`, absolute
paths), more than `MAX_ENTRIES` entries, and more than `max_total` bytes, or `MAX_RATIO` times the
archive's own size, unpacked in all (zip bombs, whatever the archive declares: reads are capped, not just
the declared sizes checked).

Only regular files are opened: a FIFO, device or socket is refused from its `stat` (opening a FIFO blocks
until someone writes to it). Names that are not UTF-8 are shown escaped (`shown`).
"""
from __future__ import annotations

import errno
import io
import os
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator, Union

from ..errors import HostileInput, NotARecord, RecordError, TooLarge

DEFAULT_MAX_TOTAL = 512 * 1024 * 1024
MAX_ENTRIES = 100_000
MAX_RATIO = 100  # unpacked bytes an archive may give per byte of its own
RATIO_FLOOR = 8 * 1024 * 1024  # ... once past this many
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

Entry = tuple[str, Union[bytes, RecordError]]


def is_zip(head: bytes) -> bool:
    """A zip archive, known by its first bytes (never by its name)."""
    return head[:4] in _ZIP_MAGIC


def _unsafe(name: str) -> bool:
    """An entry name that would land outside the folder it is unpacked into (zip slip)."""
    norm = name.replace("\\", "/")
    return norm.startswith("/") or (len(norm) > 1 and norm[1] == ":") or ".." in PurePosixPath(norm).parts


def _too_large(name: str, size: int, max_bytes: int) -> TooLarge:
    return TooLarge(name, f"{size:,} bytes or more, over the {max_bytes:,}-byte limit a record")


def _budget(source: str | BinaryIO, max_total: int) -> int:
    """What an archive may unpack to: `max_total`, and no more than MAX_RATIO times its own size (past a
    floor), so work and output stay bounded by the input given: 24 entries of 20 MB packed in 598 KB
    (a ratio of 800) are a bomb even under `max_total`. Real records compress 5 to 20 times."""
    size = os.path.getsize(source) if isinstance(source, (str, Path)) else source.seek(0, io.SEEK_END)
    return min(max_total, max(RATIO_FLOOR, MAX_RATIO * size))


def iter_zip(source: str | BinaryIO, name: str, max_bytes: int, max_total: int = DEFAULT_MAX_TOTAL) -> Iterator[Entry]:
    """The entries of a zip archive; `name` is how the archive is called in entry names and errors."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        yield name, NotARecord(name, f"not a readable zip archive: {exc}")
        return
    with zf:
        max_total = _budget(source, max_total)
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_ENTRIES:
            yield name, HostileInput(name, f"the archive holds {len(infos):,} entries, over the limit of {MAX_ENTRIES:,}")
            return
        declared = sum(i.file_size for i in infos)
        if declared > max_total:
            yield name, HostileInput(name, f"the archive would unpack to {declared:,} bytes, over the {max_total:,}-byte "
                                           f"limit (at most {MAX_RATIO} times its own size; a zip bomb?); nothing was read")
            return
        total = 0
        for info in infos:
            entry = f"{name}/{info.filename}"
            if _unsafe(info.filename):
                yield entry, HostileInput(entry, "the entry's path leaves the archive ('..' or an absolute path); refused")
                continue
            if info.flag_bits & 0x1:
                yield entry, NotARecord(entry, "the entry is encrypted")
                continue
            if info.file_size > max_bytes:
                yield entry, _too_large(entry, info.file_size, max_bytes)
                continue
            try:
                with zf.open(info) as fh:
                    data = fh.read(min(max_bytes, max_total - total) + 1)
            except (zipfile.BadZipFile, NotImplementedError, zlib.error, OSError, EOFError, RuntimeError) as exc:
                yield entry, NotARecord(entry, f"the entry cannot be unpacked: {exc}")
                continue
            total += len(data)
            if total > max_total:
                yield entry, HostileInput(entry, f"the archive unpacks to more than {max_total:,} bytes (at most {MAX_RATIO} "
                                                 "times its own size; a zip bomb?); reading stopped here")
                return
            if len(data) > max_bytes:
                yield entry, _too_large(entry, len(data), max_bytes)
            elif is_zip(data):
                yield entry, NotARecord(entry, "an archive inside an archive is not unpacked")
            else:
                yield entry, data


def iter_bytes(data: bytes, name: str, max_bytes: int, max_total: int = DEFAULT_MAX_TOTAL) -> Iterator[Entry]:
    """One input held in memory: itself, or its entries when it is a zip archive."""
    if is_zip(data):
        yield from iter_zip(io.BytesIO(data), name, max_bytes, max_total)
    elif len(data) > max_bytes:
        yield name, _too_large(name, len(data), max_bytes)
    else:
        yield name, data


def shown(path: str | Path) -> str:
    """A path as records and messages name it: bytes that are not UTF-8 shown escaped (`\\xff`), so the
    name can be written anywhere, and two names that differ stay different.

    >>> shown(os.fsdecode(b"ok-\\xff.txt"))
    'ok-\\\\xff.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


_NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def _not_regular(mode: int) -> str | None:
    """What a file that is not a regular file is, else None."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _NOT_REGULAR if test(mode)), "not a regular file")


def is_regular(path: str | Path) -> bool:
    """A regular file (links followed): the only kind of input that is ever opened."""
    return _not_regular(os.stat(path).st_mode) is None


def open_regular(path: str | Path) -> BinaryIO:
    """Open for reading without blocking on a FIFO put in the file's place after its `stat`."""
    return open(path, "rb", opener=_opener)


def _read_file(path: Path, max_bytes: int, max_total: int) -> Iterator[Entry]:
    """A regular file's entries. Anything else (FIFO, device, socket) is refused from its `stat`, never
    opened: opening a FIFO blocks until someone writes to it, and a device may never end."""
    name = shown(path)
    what = _not_regular(os.stat(path).st_mode)
    if what:
        yield name, NotARecord(name, f"{what}, not a regular file; not read")
        return
    with open_regular(path) as fh:
        st = os.fstat(fh.fileno())
        what = _not_regular(st.st_mode)  # swapped since the stat: still never read
        if what:
            yield name, NotARecord(name, f"{what}, not a regular file; not read")
            return
        head = fh.read(4)
        if is_zip(head):
            fh.seek(0)
            yield from iter_zip(fh, name, max_bytes, max_total)
            return
        # sized from fstat (a read of the limit maps and unmaps 20 MB a file); one byte more shows a file
        # that grew since, which is then read on up to the limit
        data = head + fh.read(max(min(st.st_size, max_bytes) + 1 - len(head), 0))
        if len(data) > st.st_size and len(data) <= max_bytes:
            data += fh.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        yield name, _too_large(name, len(data), max_bytes)
    else:
        yield name, data


def _opener(path, flags: int) -> int:
    """Open without blocking on a FIFO put in the file's place after its `stat`."""
    return os.open(path, flags | os.O_NONBLOCK)


def iter_inputs(path: str | Path, max_bytes: int, max_total: int = DEFAULT_MAX_TOTAL) -> Iterator[Entry]:
    """A file, a zip archive or a directory (recursively, hidden files skipped).

    Inside a directory a link is followed only to a regular file: a link to a folder is reported, not
    walked (no loops, nothing read twice), and a dangling or looping link is reported by name.
    An unreadable top-level path raises OSError; an unreadable file inside a directory is an entry error.
    """
    for item in walk_inputs(path):
        if isinstance(item, tuple):
            yield item
        elif item.top:
            yield from _read_file(Path(item.path), max_bytes, max_total)
        else:
            yield from read_found(item, max_bytes, max_total)


class Found:
    """A file `walk_inputs` found, read later (by `read_found`, perhaps in another process): `top` when it
    is the path the caller named, whose failure to open is theirs (OSError), not an entry error."""

    __slots__ = ("path", "top")

    def __init__(self, path: str | Path, top: bool = False):
        self.path, self.top = path, top


def walk_inputs(path: str | Path) -> Iterator[Union[Found, Entry]]:
    """The files under `path` in reading order, not yet read, and the entries a walk itself reports (a
    link to a folder): the names go to a pool's workers, which read the files themselves."""
    p = Path(path)
    if not p.is_dir():
        yield Found(path, top=True)  # as named: its error names it so
        return
    for folder, dirs, files in os.walk(p):
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in links)
        for fname in sorted([*files, *links]):
            if fname.startswith("."):
                continue
            fpath = Path(folder) / fname
            if fname in links:
                yield shown(fpath), NotARecord(shown(fpath), "a link to a folder, not followed")
            else:
                yield Found(fpath)


def read_found(found: Found, max_bytes: int, max_total: int = DEFAULT_MAX_TOTAL) -> Iterator[Entry]:
    """The entries of a file found inside a directory; one it cannot read is an entry error."""
    try:
        yield from _read_file(found.path, max_bytes, max_total)
    except OSError as exc:
        yield shown(found.path), RecordError(shown(found.path), f"cannot be read: {reason(exc)}")


def reason(exc: OSError) -> str:
    """What went wrong, in words: a link loop is named as one."""
    if exc.errno == errno.ELOOP:
        return "a link that loops (it leads back to itself)"
    if exc.errno == errno.ENOENT:
        return "a link to nothing (dangling) or a file that vanished"
    return exc.strerror or str(exc)
