"""The sheet code: campaign key, rater group, serial and page as a bar of black/white cells.

58 cells between the bottom registration marks: 20 bits campaign key (campaign,
year and rating), 4 bits group, 14 bits serial, 4 bits page, then CRC-16. The
reader samples the cells through the page's homography; the CRC both rejects a
misread and tells which way up the page is (only one of the four corner orders
gives a valid code).
"""
from __future__ import annotations

from dataclasses import dataclass

NBITS = 58
_FIELDS = (("key", 20), ("group", 4), ("serial", 14), ("page", 4))


@dataclass(frozen=True)
class SheetCode:
    key: int
    group: int  # index of the rater group in the rating's groups
    serial: int  # 1-based, unique within the rating
    page: int  # 0-based


def crc16(bits: list[int]) -> int:
    """CRC-16/CCITT over a bit list (MSB first)."""
    crc = 0xFFFF
    for b in bits:
        top = ((crc >> 15) & 1) ^ b
        crc = (crc << 1) & 0xFFFF
        if top:
            crc ^= 0x1021
    return crc


def _to_bits(value: int, n: int) -> list[int]:
    return [(value >> (n - 1 - i)) & 1 for i in range(n)]


def encode(code: SheetCode) -> list[int]:
    bits: list[int] = []
    for name, n in _FIELDS:
        v = getattr(code, name)
        if not 0 <= v < (1 << n):
            raise ValueError(f"{name}={v} does not fit in {n} bits")
        bits += _to_bits(v, n)
    return bits + _to_bits(crc16(bits), 16)


def decode(bits: list[int]) -> SheetCode | None:
    if len(bits) != NBITS:
        return None
    payload, check = bits[:-16], bits[-16:]
    if crc16(payload) != int("".join(map(str, check)), 2):
        return None
    vals, pos = {}, 0
    for name, n in _FIELDS:
        vals[name] = int("".join(map(str, payload[pos:pos + n])), 2)
        pos += n
    return SheetCode(**vals)
