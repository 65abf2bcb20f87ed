#!/usr/bin/env python3
"""Writes examples/noisy-digit.png: the first MNIST test digit shipped in the jar (a 7), with
seeded Gaussian noise (sigma 0.3, clipped to [0,1]), as a 28x28 8-bit grayscale PNG.

    curl -s 'http://localhost:8080/v1/samples/digits?count=1' | python3 examples/noisy-digit.py > examples/noisy-digit.png

Standard library only.
"""
import random
import struct
import sys
import zlib

W = H = 28
SIGMA = 0.3
SEED = 7

clean = sys.stdin.buffer.read()[: W * H]
if len(clean) != W * H:
    sys.exit("expected %d gray8 bytes on stdin, got %d" % (W * H, len(clean)))
rng = random.Random(SEED)
noisy = bytes(
    round(255 * min(1.0, max(0.0, p / 255 + rng.gauss(0.0, SIGMA)))) for p in clean
)


def chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


raw = b"".join(b"\x00" + noisy[y * W:(y + 1) * W] for y in range(H))
png = (b"\x89PNG\r\n\x1a\n"
       + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 0, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(raw, 9))
       + chunk(b"IEND", b""))
sys.stdout.buffer.write(png)
