#!/usr/bin/env python3
"""Denoises one PNG over HTTP (POST /v1/models/{model}/denoise) and prints what came back.

    python3 examples/python/http_client.py --url http://localhost:8080 \
        --image examples/noisy-digit.png --out denoised.png

Needs `requests` (Debian: python3-requests). Prints one line:
    status=200 model=conv-upsample version=1 width=28 height=28 bytes=... out=denoised.png
and exits 1 with the server's error code and message on anything but 200.
"""
import argparse
import sys

import requests


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://localhost:8080")
    ap.add_argument("--model", default="conv-upsample")
    ap.add_argument("--image", default="examples/noisy-digit.png")
    ap.add_argument("--out", default="denoised.png")
    ap.add_argument("--token", help="auth.token, when the server has one")
    args = ap.parse_args()

    headers = {"Content-Type": "image/png", "X-Frame-Id": "python-http-1"}
    if args.token:
        headers["Authorization"] = "Bearer " + args.token
    with open(args.image, "rb") as f:
        body = f.read()
    r = requests.post("%s/v1/models/%s/denoise" % (args.url.rstrip("/"), args.model),
                      data=body, headers=headers, timeout=30)
    if r.status_code != 200:
        err = r.json()
        print("status=%d code=%s message=%s" % (r.status_code, err.get("code"), err.get("message")))
        return 1
    with open(args.out, "wb") as f:
        f.write(r.content)
    print("status=%d model=%s version=%s width=%s height=%s frame=%s bytes=%d out=%s" % (
        r.status_code, r.headers["X-Model"], r.headers["X-Model-Version"], r.headers["X-Width"],
        r.headers["X-Height"], r.headers.get("X-Frame-Id"), len(r.content), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
