"""Zip archives that lie, shared by bench/import.py and the import tests."""

import struct


def lying_sizes(data: bytes, size: int) -> bytes:
    """The zip with every central directory record claiming `size` bytes unpacked."""
    data = bytearray(data)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 46)
    return bytes(data)
