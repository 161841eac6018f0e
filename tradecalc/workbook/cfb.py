"""A small reader and writer of compound files (MS-CFB), the container of a vbaProject.bin.

A compound file is a FAT file system in one file: a 512-byte header, then
sectors (512 bytes in version 3) chained through the FAT (one 32-bit "next
sector" per sector). A directory of 128-byte entries names the storages
(folders) and streams (files); each storage's children form a red-black tree
ordered by name length, then by upper-cased name. Streams under 4096 bytes
live in the *mini stream* (64-byte mini sectors chained through the mini FAT),
itself a regular stream of the root entry.

:func:`read` gives a :class:`Storage` tree of bytes; :func:`write` lays out a
version-3 file from one: regular streams, mini stream, mini FAT, directory,
then FAT. It writes no DIFAT, so files above 109 FAT sectors (about 7 MB) are
refused; a VBA project is a few dozen kilobytes.

>>> tree = Storage({"VBA": Storage({"dir": b"x" * 10}), "PROJECT": b"ID=" * 2000})
>>> data = write(tree)
>>> len(data), read(data) == tree  # header + 12 sectors of PROJECT + mini stream, mini FAT, directory, FAT
(8704, True)
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_HEADER_DIFAT = 109
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_ZERO_CLSID = bytes(16)


@dataclass
class Storage:
    """A storage: child name -> stream bytes or sub-storage (``clsid`` kept as read)."""

    children: dict[str, bytes | Storage] = field(default_factory=dict)
    clsid: bytes = _ZERO_CLSID


def sort_key(name: str) -> tuple[int, str]:
    """MS-CFB 2.6.4 order of sibling names: shorter first, then by upper-cased UTF-16 code units.

    >>> sorted(["dir", "PROJECT", "VBA", "_VBA_PROJECT"], key=sort_key)
    ['dir', 'VBA', 'PROJECT', '_VBA_PROJECT']
    """
    # simple (one-to-one) case mapping: "ß".upper() is "SS", which would reorder by length
    upper = "".join(u if len(u := c.upper()) == 1 else c for c in name)
    return len(name.encode("utf-16-le")), upper


# ------------------------------------------------------------------------------ reading


def read(data: bytes) -> Storage:
    """The storage tree of a compound file; ValueError if it is not a well-formed one."""
    try:
        return _read(data)
    except (struct.error, IndexError, UnicodeDecodeError, RecursionError) as e:
        raise ValueError(f"malformed compound file ({e})") from None


def _read(data: bytes) -> Storage:
    if len(data) < 512 or data[:8] != SIGNATURE:
        raise ValueError("not a compound file (no MS-CFB signature)")
    major, order, shift, mini_shift = struct.unpack_from("<HHHH", data, 0x1A)
    if order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
        raise ValueError(
            f"unsupported compound file header (version {major}, sector shift {shift})"
        )
    sector = 1 << shift
    n_fat, first_dir, _, cutoff, first_minifat, _, first_difat, n_difat = struct.unpack_from(
        "<8I", data, 0x2C
    )
    if cutoff != MINI_CUTOFF:
        raise ValueError(f"mini stream cutoff {cutoff}, not {MINI_CUTOFF}")

    def sector_bytes(i: int) -> bytes:
        start = (i + 1) * sector
        if start >= len(data):
            raise ValueError(f"sector {i} is past the end of the file")
        return data[start : start + sector].ljust(sector, b"\0")

    fat_sectors = list(struct.unpack_from(f"<{_HEADER_DIFAT}I", data, 0x4C))
    d, hops = first_difat, 0
    while d not in (ENDOFCHAIN, FREESECT) and hops <= n_difat:
        words = struct.unpack(f"<{sector // 4}I", sector_bytes(d))
        fat_sectors += words[:-1]
        d, hops = words[-1], hops + 1
    fat_sectors = [s for s in fat_sectors if s != FREESECT][:n_fat]
    fat = [w for s in fat_sectors for w in struct.unpack(f"<{sector // 4}I", sector_bytes(s))]

    def chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        while start != ENDOFCHAIN:
            if start >= len(table) or len(out) > len(table):
                raise ValueError(f"broken sector chain at {start}")
            out.append(start)
            start = table[start]
        return out

    def regular(start: int, size: int | None = None) -> bytes:
        blob = b"".join(sector_bytes(s) for s in chain(start, fat))
        if size is not None and len(blob) < size:
            raise ValueError("a stream is shorter than its directory entry says")
        return blob if size is None else blob[:size]

    dir_blob = regular(first_dir)
    entries = [dir_blob[i : i + 128] for i in range(0, len(dir_blob) - 127, 128)]
    if not entries or entries[0][66] != _ROOT:
        raise ValueError("the directory does not start with a root entry")
    root = _entry(entries[0], major)
    ministream = regular(root["start"], root["size"]) if root["size"] else b""
    minifat_blob = regular(first_minifat) if first_minifat != ENDOFCHAIN else b""
    minifat = list(struct.unpack(f"<{len(minifat_blob) // 4}I", minifat_blob))

    def stream(e: dict) -> bytes:
        if e["size"] >= MINI_CUTOFF:
            return regular(e["start"], e["size"])
        blob = b"".join(
            ministream[s * MINI_SECTOR : (s + 1) * MINI_SECTOR] for s in chain(e["start"], minifat)
        )
        if len(blob) < e["size"]:
            raise ValueError(f"mini stream {e['name']!r} is shorter than its directory entry says")
        return blob[: e["size"]]

    visited: set[int] = set()

    def storage(e: dict) -> Storage:
        out = Storage(clsid=e["clsid"])
        stack = [e["child"]]
        while stack:
            sid = stack.pop()
            if sid == NOSTREAM:
                continue
            if sid >= len(entries) or sid in visited:
                raise ValueError(f"directory entry {sid} is missing or reached twice")
            visited.add(sid)
            c = _entry(entries[sid], major)
            stack += [c["left"], c["right"]]
            if c["name"] in out.children:
                raise ValueError(f"two entries named {c['name']!r} in one storage")
            if c["type"] == _STORAGE:
                out.children[c["name"]] = storage(c)
            elif c["type"] == _STREAM:
                out.children[c["name"]] = stream(c)
            else:
                raise ValueError(f"directory entry {sid} has type {c['type']}")
        return out

    return storage(root)


def _entry(raw: bytes, major: int) -> dict:
    name_len = struct.unpack_from("<H", raw, 64)[0]
    if not 2 <= name_len <= 64 or name_len % 2:
        raise ValueError("directory entry with a bad name length")
    left, right, child = struct.unpack_from("<3I", raw, 68)
    start, size = struct.unpack_from("<IQ", raw, 116)
    if major == 3:
        size &= 0xFFFFFFFF  # version 3 files may leave garbage in the high half
    return {
        "name": raw[: name_len - 2].decode("utf-16-le"),
        "type": raw[66],
        "left": left,
        "right": right,
        "child": child,
        "clsid": raw[80:96],
        "start": start,
        "size": size,
    }


# ------------------------------------------------------------------------------ writing


def write(tree: Storage) -> bytes:
    """A version-3 compound file (512-byte sectors) holding ``tree``."""
    entries = _flatten(tree)  # [(name, kind, clsid, data, left, right, child, colour)]
    sectors: list[bytes] = []
    fat: list[int] = []

    def put(blob: bytes, unit: int = SECTOR) -> int:
        """Append ``blob`` as a chain of new sectors; its first sector (ENDOFCHAIN if empty)."""
        n = -(-len(blob) // unit)
        if n == 0:
            return ENDOFCHAIN
        first = len(sectors)
        padded = blob.ljust(n * unit, b"\0")
        for i in range(n):
            sectors.append(padded[i * unit : (i + 1) * unit])
            fat.append(first + i + 1 if i < n - 1 else ENDOFCHAIN)
        return first

    starts = [ENDOFCHAIN] * len(entries)
    mini = bytearray()
    minifat: list[int] = []
    for i, e in enumerate(entries):
        if e["kind"] != _STREAM:
            continue
        if len(e["data"]) >= MINI_CUTOFF:
            starts[i] = put(e["data"])
        elif e["data"]:
            n = -(-len(e["data"]) // MINI_SECTOR)
            first = len(minifat)
            minifat += [first + k + 1 for k in range(n - 1)] + [ENDOFCHAIN]
            mini += e["data"].ljust(n * MINI_SECTOR, b"\0")
            starts[i] = first
    starts[0] = put(bytes(mini))
    first_minifat = put(_words(minifat, FREESECT)) if minifat else ENDOFCHAIN
    directory = [_dir_entry(e, starts[i], len(mini)) for i, e in enumerate(entries)]
    directory += [_unused_entry()] * (-len(directory) % (SECTOR // 128))
    first_dir = put(b"".join(directory))

    n_fat = 0
    while n_fat * (SECTOR // 4) < len(sectors) + n_fat:
        n_fat += 1
    if n_fat > _HEADER_DIFAT:
        raise ValueError("compound file too large for a header-only FAT (over 109 FAT sectors)")
    fat_first = len(sectors)
    fat += [FATSECT] * n_fat
    table = _words(fat, FREESECT).ljust(n_fat * SECTOR, b"\xff")
    sectors += [table[i * SECTOR : (i + 1) * SECTOR] for i in range(n_fat)]

    header = bytearray(SIGNATURE + bytes(16))
    header += struct.pack("<HHHHH", 0x003E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack(
        "<9I",
        0,  # directory sectors: 0 in version 3
        n_fat,
        first_dir,
        0,  # transaction signature
        MINI_CUTOFF,
        first_minifat,
        -(-len(minifat) // (SECTOR // 4)),  # mini FAT sectors
        ENDOFCHAIN,  # no DIFAT sectors
        0,
    )
    header += struct.pack(
        f"<{_HEADER_DIFAT}I",
        *range(fat_first, fat_first + n_fat),
        *[FREESECT] * (_HEADER_DIFAT - n_fat),
    )
    assert len(header) == SECTOR
    return bytes(header) + b"".join(sectors)


def _words(values: list[int], pad: int) -> bytes:
    n = -(-len(values) // (SECTOR // 4)) * (SECTOR // 4)
    return struct.pack(f"<{n}I", *values, *[pad] * (n - len(values)))


def _flatten(tree: Storage) -> list[dict]:
    """Directory entries, root first, each storage's children linked as a red-black tree."""
    entries = [
        {"name": "Root Entry", "kind": _ROOT, "clsid": tree.clsid, "data": b"", "node": tree}
    ]
    entries[0].update(left=NOSTREAM, right=NOSTREAM, colour=_BLACK)
    i = 0
    while i < len(entries):
        node = entries[i]["node"]
        entries[i]["child"] = NOSTREAM
        if isinstance(node, Storage):
            names = sorted(node.children, key=sort_key)
            ids = list(range(len(entries), len(entries) + len(names)))
            for name in names:
                _check_name(name)
                child = node.children[name]
                kind = _STORAGE if isinstance(child, Storage) else _STREAM
                entries.append(
                    {
                        "name": name,
                        "kind": kind,
                        "clsid": child.clsid if kind == _STORAGE else _ZERO_CLSID,
                        "data": b"" if kind == _STORAGE else bytes(child),
                        "node": child,
                    }
                )
            entries[i]["child"] = _link(ids, entries)
        i += 1
    return entries


def _check_name(name: str) -> None:
    if not name or len(name) > 31 or any(c in name for c in "/\\:!"):
        raise ValueError(f"{name!r} is not a valid compound file entry name")


def _link(ids: list[int], entries: list[dict]) -> int:
    """Link sorted sibling ``ids`` as a balanced tree; its root id (NOSTREAM if none).

    Splitting at the middle fills every level but the deepest; colouring the
    deepest level red when it is not full gives every root-to-leaf path the
    same number of black nodes, and no red node a red child: a red-black tree.
    """
    if not ids:
        return NOSTREAM
    deepest = len(ids).bit_length() - 1  # depth of the last level
    full = len(ids) == (1 << (deepest + 1)) - 1

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        e = entries[ids[mid]]
        e["left"] = build(lo, mid, depth + 1)
        e["right"] = build(mid + 1, hi, depth + 1)
        e["colour"] = _RED if depth == deepest and not full else _BLACK
        return ids[mid]

    return build(0, len(ids), 0)


def _dir_entry(e: dict, start: int, ministream_size: int) -> bytes:
    name = e["name"].encode("utf-16-le") + b"\0\0"
    size = ministream_size if e["kind"] == _ROOT else len(e["data"])
    if e["kind"] == _STORAGE:
        start = 0
    return (
        name.ljust(64, b"\0")
        + struct.pack(
            "<HBB3I", len(name), e["kind"], e["colour"], e["left"], e["right"], e["child"]
        )
        + e["clsid"]
        + struct.pack("<IQQIQ", 0, 0, 0, start, size)
    )


def _unused_entry() -> bytes:
    return bytes(66) + struct.pack("<BB3I", 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + bytes(48)
