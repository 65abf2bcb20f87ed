#!/usr/bin/env python3
"""Streams gray8 frames over the WebSocket (/v1/stream, lossless mode) and decodes the replies.

    python3 examples/python/ws_client.py --url ws://localhost:8080 --frames 5

Needs `websockets` (Debian: python3-websockets). The frames are the noisy digit of
examples/noisy-digit.png's size, made here (28x28 gray8, a fixed pattern); every reply is parsed
as docs/websocket.md describes, and one line is printed per reply:
    seq=0 width=28 height=28 version=1 latent_dim=16 frame=py-0 payload=784
then a summary line `replies=N errors=M`.
"""
import argparse
import asyncio
import json
import struct
import sys

import websockets

HEADER = struct.Struct("<2sBBHHIIIIqIIIHH")  # the 48-byte reply header


def frame(i, w=28, h=28):
    return bytes(((x * 7 + y * 3 + i * 11) % 256) for y in range(h) for x in range(w))


def parse(msg):
    (magic, layout, flags, offset, latent_dim, seq, dropped, width, height, version,
     queue_us, compute_us, server_us, batch, id_len) = HEADER.unpack_from(msg, 0)
    if magic != b"DN" or layout != 1:
        raise ValueError("not a reply: %r" % msg[:4])
    latent = struct.unpack_from("<%df" % latent_dim, msg, 48)
    fid = msg[48 + 4 * latent_dim:48 + 4 * latent_dim + id_len].decode("utf-8")
    return dict(seq=seq, width=width, height=height, version=version, latent_dim=latent_dim,
                latent=latent, frame=fid, payload=len(msg) - offset, dropped=dropped)


async def run(args):
    url = "%s/v1/stream?model=%s&mode=lossless&format=gray8&width=28&height=28&latent=true&ids=true" % (
        args.url.rstrip("/"), args.model)
    replies = errors = 0
    async with websockets.connect(url, max_size=None) as ws:
        for i in range(args.frames):
            fid = ("py-%d" % i).encode("utf-8")
            await ws.send(bytes([len(fid)]) + fid + frame(i))
        while replies + errors < args.frames:
            msg = await asyncio.wait_for(ws.recv(), timeout=30)
            if isinstance(msg, str):
                err = json.loads(msg)
                print("error seq=%s code=%s message=%s" % (err.get("seq"), err.get("code"), err.get("message")))
                errors += 1
                continue
            r = parse(msg)
            print("seq=%(seq)d width=%(width)d height=%(height)d version=%(version)d "
                  "latent_dim=%(latent_dim)d frame=%(frame)s payload=%(payload)d" % r)
            replies += 1
    print("replies=%d errors=%d" % (replies, errors))
    return 0 if errors == 0 else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="ws://localhost:8080")
    ap.add_argument("--model", default="conv-upsample")
    ap.add_argument("--frames", type=int, default=5)
    return asyncio.run(run(ap.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
