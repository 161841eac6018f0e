"""MS-OVBA compression (section 2.4.1): the LZ77 variant VBA stores its dir stream and sources in.

A *compressed container* is the signature byte ``0x01`` followed by chunks. Each
chunk holds up to 4096 bytes of the decompressed data and starts with a 2-byte
little-endian header: bits 0–11 are the chunk's size in bytes minus 3 (header
included), bits 12–14 the signature ``0b011``, bit 15 whether it is compressed.
An uncompressed (raw) chunk carries exactly 4096 bytes. A compressed chunk is a
run of token sequences: one flag byte, then eight tokens, a 0 bit meaning a
literal byte and a 1 bit a 2-byte *copy token* (offset back into the chunk's
decompressed bytes, length). How the 16 bits split between offset and length
depends on how far into the chunk the copy starts (``d`` bytes decompressed so
far): the offset takes ``max(ceil(log2 d), 4)`` bits, the length the rest. Below,
token ``0x2006`` 3 bytes into the chunk: 4 offset bits, ``0x2006 >> 12`` + 1 = 3
back, length ``0x006`` + 3 = 9 (a copy may overlap the bytes it writes).

>>> packed = compress(b"abcabcabcabc")
>>> packed.hex(" ")  # container signature, chunk header 0xB005 (8 bytes), flags 0b1000, token 0x2006
'01 05 b0 08 61 62 63 06 20'
>>> decompress(packed)
b'abcabcabcabc'
"""

from __future__ import annotations

import struct

CHUNK = 4096  # decompressed bytes per chunk
_SIGNATURE = 0x01
_HEADER_SIGNATURE = 0b011 << 12
_COMPRESSED = 0x8000
_MIN_MATCH = 3


def _offset_bits(done: int) -> int:
    """Bits of a copy token's offset, ``done`` bytes into the chunk (MS-OVBA 2.4.1.3.19.1).

    >>> [_offset_bits(d) for d in (1, 16, 17, 4096)]
    [4, 4, 5, 12]
    """
    return max((done - 1).bit_length(), 4)


def decompress(container: bytes) -> bytes:
    """The bytes a compressed container holds (MS-OVBA 2.4.1.3.1); ValueError if it is malformed."""
    if not container or container[0] != _SIGNATURE:
        raise ValueError("not an MS-OVBA compressed container (first byte is not 0x01)")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise ValueError(f"truncated chunk header at byte {pos}")
        (header,) = struct.unpack_from("<H", container, pos)
        if header & 0x7000 != _HEADER_SIGNATURE:
            raise ValueError(f"bad chunk signature at byte {pos}")
        end = min(pos + (header & 0x0FFF) + 3, len(container))
        if header & _COMPRESSED:
            _decompress_chunk(container, pos + 2, end, out)
        else:
            if end - pos - 2 != CHUNK:
                raise ValueError(f"raw chunk at byte {pos} does not hold {CHUNK} bytes")
            out += container[pos + 2 : end]
        pos = end
    return bytes(out)


def _decompress_chunk(data: bytes, pos: int, end: int, out: bytearray) -> None:
    start = len(out)
    while pos < end:
        flags = data[pos]
        pos += 1
        for bit in range(8):
            if pos >= end:
                break
            if not flags >> bit & 1:
                out.append(data[pos])
                pos += 1
                continue
            if pos + 2 > end:
                raise ValueError(f"truncated copy token at byte {pos}")
            (token,) = struct.unpack_from("<H", data, pos)
            pos += 2
            done = len(out) - start
            if done == 0:
                raise ValueError("copy token before any byte of its chunk")
            bits = _offset_bits(done)
            length = (token & (0xFFFF >> bits)) + _MIN_MATCH
            offset = (token >> (16 - bits)) + 1
            if offset > done:
                raise ValueError(f"copy token reaches before its chunk at byte {pos - 2}")
            src = len(out) - offset
            for i in range(length):  # byte by byte: a copy may overlap what it writes
                out.append(out[src + i])
        if len(out) - start > CHUNK:
            raise ValueError("a chunk decompresses to more than 4096 bytes")


def compress(data: bytes) -> bytes:
    """``data`` as a compressed container (MS-OVBA 2.4.1.3.6), longest match first.

    A full 4096-byte chunk that does not shrink is stored raw. A shorter last chunk
    cannot be (a raw chunk holds exactly 4096 bytes, and MS-OVBA pads it with zeros
    that would come back on decompression), so such input (incompressible tails of
    more than 3640 bytes) raises ValueError rather than change the data.
    """
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK):
        chunk = data[start : start + CHUNK]
        body = _compress_chunk(chunk)
        if len(body) <= CHUNK:
            out += struct.pack("<H", _COMPRESSED | _HEADER_SIGNATURE | (len(body) + 2 - 3))
            out += body
        elif len(chunk) == CHUNK:
            out += struct.pack("<H", _HEADER_SIGNATURE | (CHUNK + 2 - 3)) + chunk
        else:
            raise ValueError(
                f"the last {len(chunk)} bytes do not compress into one chunk and cannot be stored raw"
            )
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    """Token sequences for one chunk; candidates found through their first 3 bytes."""
    body = bytearray()
    seen: dict[bytes, list[int]] = {}  # 3-byte prefix -> positions before ``pos``, oldest first
    indexed = 0  # positions below this one are in ``seen``
    pos = 0
    n = len(chunk)
    while pos < n:
        flag_at = len(body)
        body.append(0)
        for bit in range(8):
            if pos >= n:
                break
            for p in range(indexed, min(pos, n - _MIN_MATCH + 1)):
                seen.setdefault(chunk[p : p + _MIN_MATCH], []).append(p)
            indexed = max(indexed, pos)
            length, offset = _longest_match(chunk, pos, seen)
            if length >= _MIN_MATCH:
                bits = _offset_bits(pos)
                body += struct.pack("<H", (offset - 1) << (16 - bits) | (length - _MIN_MATCH))
                body[flag_at] |= 1 << bit
                pos += length
            else:
                body.append(chunk[pos])
                pos += 1
    return bytes(body)


def _longest_match(chunk: bytes, pos: int, seen: dict[bytes, list[int]]) -> tuple[int, int]:
    """(length, offset) of the longest earlier copy of the bytes at ``pos`` (nearest on ties)."""
    if pos == 0:
        return 0, 0
    max_len = min((0xFFFF >> _offset_bits(pos)) + _MIN_MATCH, len(chunk) - pos)
    best_len, best_off = 0, 0
    for cand in reversed(seen.get(chunk[pos : pos + _MIN_MATCH], ())):
        length = 0
        while length < max_len and chunk[cand + length] == chunk[pos + length]:
            length += 1
        if length > best_len:
            best_len, best_off = length, pos - cand
            if length == max_len:
                break
    return best_len, best_off
