"""MS-OVBA compression (tradecalc.workbook.ovba): the spec's example, round trips, raw chunks.

Round trips are also decompressed by oletools' independent implementation
(``olevba.decompress_stream``), so a mistake shared by our compressor and
decompressor would not go unseen.
"""

from __future__ import annotations

import os
import struct
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecalc.workbook.ovba import CHUNK, compress, decompress

with warnings.catch_warnings():  # oletools still calls pyparsing's pre-3.0 names on import
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools import olevba


# MS-OVBA 3.2.3, "Example with a Copy Token": the decompressed text and the container
SPEC_TEXT = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
SPEC_CONTAINER = bytes.fromhex(
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E"
    " 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)

#: repetitive text, so copy tokens of every offset width and length occur
repetitive = st.lists(
    st.sampled_from([b"a", b"ab", b"Sub ", b"\r\n", b"xyz" * 9, b"\0"]), max_size=3000
).map(b"".join)


def test_the_spec_example_decompresses():
    assert decompress(SPEC_CONTAINER) == SPEC_TEXT


def test_the_spec_example_compresses_as_small():
    # MS-OVBA leaves the choice between equally long matches open; the size is the same
    packed = compress(SPEC_TEXT)
    assert len(packed) == len(SPEC_CONTAINER) == 51
    assert packed[:3] == SPEC_CONTAINER[:3]  # signature and chunk header 0xB02F
    assert olevba.decompress_stream(bytearray(packed)) == SPEC_TEXT


@settings(max_examples=150, deadline=None)
@given(st.one_of(repetitive, st.binary(max_size=9000)))
def test_compress_then_decompress_gives_back_the_input(data):
    try:
        packed = compress(data)
    except ValueError:
        # only an incompressible last chunk of 3641..4095 bytes cannot be stored
        assert 3640 < len(data) % CHUNK
        return
    assert decompress(packed) == data
    assert olevba.decompress_stream(bytearray(packed)) == data
    # every chunk but the last holds 4096 decompressed bytes: ceil(n / 4096) chunks
    assert _chunk_count(packed) == -(-len(data) // CHUNK)


def _chunk_count(packed: bytes) -> int:
    n, pos = 0, 1
    while pos < len(packed):
        (header,) = struct.unpack_from("<H", packed, pos)
        pos += (header & 0x0FFF) + 3
        n += 1
    return n


def test_a_long_repeat_uses_long_copy_tokens():
    data = b"x" * CHUNK * 2
    packed = compress(data)
    # per chunk: 1 literal, then copies of at most 4098 bytes (12 length bits at the start)
    assert len(packed) < 1 + 2 * 12
    assert decompress(packed) == data


def test_an_incompressible_chunk_is_stored_raw():
    data = os.urandom(CHUNK) + b"tail tail tail"
    packed = compress(data)
    (header,) = struct.unpack_from("<H", packed, 1)
    assert header == 0x3FFF  # not compressed, signature 0b011, size 4098 - 3
    assert packed[3 : 3 + CHUNK] == data[:CHUNK]
    assert decompress(packed) == data


def test_an_incompressible_short_tail_is_refused():
    with pytest.raises(ValueError, match="cannot be stored raw"):
        compress(os.urandom(4000))


@pytest.mark.parametrize(
    "bad, message",
    [
        (b"", "not an MS-OVBA compressed container"),
        (b"\x02\x00\xb0", "not an MS-OVBA compressed container"),
        (b"\x01\x00\x00\x00", "bad chunk signature"),
        (b"\x01\x02\xb0\x01\x00\x00", "copy token before any byte"),
        (b"\x01\x03\xb0\x02\x61\x00\x10", "reaches before its chunk"),
        (b"\x01\xff\x3f" + bytes(10), "does not hold 4096 bytes"),
    ],
)
def test_malformed_containers_raise(bad, message):
    with pytest.raises(ValueError, match=message):
        decompress(bad)
