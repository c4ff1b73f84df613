"""Small image files made in memory for the logo tests, and one huge one that costs nothing.

A logo bomb is a PNG whose header declares 13,000 × 13,000 pixels of one bit each: 21 MB of
zeros compress to about 20 KB, and are compressed here a row at a time, so that making it
allocates no more than a row.
"""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(format="PNG", size=(1600, 1000), mode="RGB", color=(200, 30, 30), **save):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format, **save)
    return buffer.getvalue()


def huge_png(side=13000):
    """A valid 1-bit PNG of side × side pixels, about 20 KB for 13,000."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" + bytes((side + 7) // 8)  # filter byte, then the row's bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def upload(content, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)
