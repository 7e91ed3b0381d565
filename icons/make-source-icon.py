# Draws the app's source icon: a rounded red square with a white briefcase. Writes an RGBA PNG.
import struct, zlib, sys
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
def inside_round_rect(x, y, x0, y0, x1, y1, r):
    if x < x0 or x > x1 or y < y0 or y > y1: return False
    cx = min(max(x, x0 + r), x1 - r); cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
rows = []
s = N / 1024
for j in range(N):
    row = bytearray([0])
    for i in range(N):
        x, y = i / s, j / s
        px = (0, 0, 0, 0)
        if inside_round_rect(x, y, 32, 32, 992, 992, 200):
            px = (200, 22, 30, 255)
            body = inside_round_rect(x, y, 232, 372, 792, 792, 60)
            handle = inside_round_rect(x, y, 392, 232, 632, 412, 50) and not inside_round_rect(x, y, 442, 282, 582, 412, 20)
            if body or handle: px = (255, 255, 255, 255)
            if body and 540 <= y <= 580: px = (200, 22, 30, 255)
            if inside_round_rect(x, y, 472, 510, 552, 610, 16): px = (255, 214, 0, 255)
        row += bytes(px)
    rows.append(bytes(row))
raw = b"".join(rows)
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
