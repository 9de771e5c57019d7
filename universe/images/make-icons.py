#!/usr/bin/env python3
"""Draws snapci's catalogue icons (the sizes Universe asks for, and their @2x versions) as PNG files next to this
script: a teal tile with two offset white cards, a copy taken from the original. Standard library only, so the
icons can be redrawn anywhere: python3 universe/images/make-icons.py"""
import os
import struct
import zlib

SIZES = {"small": 48, "medium": 96, "large": 256}
TEAL = (0, 128, 128)
WHITE = (255, 255, 255)
SAMPLES = 4  # per axis: edges are anti-aliased by averaging 16 samples per pixel


def in_rounded_rect(x, y, left, top, right, bottom, radius):
    if not (left <= x <= right and top <= y <= bottom):
        return False
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def colour_at(u, v):
    """The icon in unit coordinates: None outside the tile, else an RGB colour."""
    if not in_rounded_rect(u, v, 0.0, 0.0, 1.0, 1.0, 0.18):
        return None
    back = in_rounded_rect(u, v, 0.22, 0.20, 0.66, 0.70, 0.06)
    front_outline = in_rounded_rect(u, v, 0.34, 0.30, 0.78, 0.80, 0.06)
    front_inside = in_rounded_rect(u, v, 0.37, 0.33, 0.75, 0.77, 0.04)
    if front_inside or (back and not front_outline):
        return WHITE
    return TEAL


def pixels(size):
    rows = []
    for y in range(size):
        row = bytearray([0])  # PNG filter type 0 for the row
        for x in range(size):
            r = g = b = a = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    c = colour_at((x + (sx + 0.5) / SAMPLES) / size, (y + (sy + 0.5) / SAMPLES) / size)
                    if c is not None:
                        r, g, b, a = r + c[0], g + c[1], b + c[2], a + 1
            n = SAMPLES * SAMPLES
            row += bytes([r // a, g // a, b // a, 255 * a // n] if a else [0, 0, 0, 0])
        rows.append(bytes(row))
    return b"".join(rows)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(size):
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels(size), 9))
            + chunk(b"IEND", b""))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for name, size in SIZES.items():
        for suffix, scale in (("", 1), ("@2x", 2)):
            with open(os.path.join(here, f"icon-{name}{suffix}.png"), "wb") as out:
                out.write(png(size * scale))
