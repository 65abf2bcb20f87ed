#!/usr/bin/env python3
"""Sends one PNG frame to the input topic and waits for its denoised frame on the output topic.

    python3 examples/python/kafka_client.py --bootstrap localhost:9092 \
        --image examples/noisy-digit.png --key camera-1

Needs `confluent-kafka` (Debian: python3-confluent-kafka). The record is keyed by the stream id,
with the headers of docs/kafka.md (content-type, frame-id, model). The reply is matched on its
frame-id header and printed as one line:
    key=camera-1 frame=... model=conv-upsample version=1 content-type=image/png bytes=...
Security settings go in as librdkafka properties: --set security.protocol=SASL_SSL ...
"""
import argparse
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap", default="localhost:9092")
    ap.add_argument("--input-topic", default="frames.noisy")
    ap.add_argument("--output-topic", default="frames.denoised")
    ap.add_argument("--model", default="conv-upsample")
    ap.add_argument("--image", default="examples/noisy-digit.png")
    ap.add_argument("--key", default="camera-1")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--set", action="append", default=[], metavar="K=V", help="extra client property")
    args = ap.parse_args()
    extra = dict(kv.split("=", 1) for kv in args.set)

    consumer = Consumer(dict(extra, **{"bootstrap.servers": args.bootstrap, "group.id": "py-" + uuid.uuid4().hex,
                                        "auto.offset.reset": "latest", "enable.auto.commit": False}))
    consumer.subscribe([args.output_topic])
    # wait for the assignment, so the reply (written after this) is not missed
    deadline = time.time() + args.timeout
    while not consumer.assignment() and time.time() < deadline:
        consumer.poll(0.2)

    frame_id = "py-kafka-" + uuid.uuid4().hex[:8]
    with open(args.image, "rb") as f:
        value = f.read()
    producer = Producer(dict(extra, **{"bootstrap.servers": args.bootstrap}))
    producer.produce(args.input_topic, key=args.key.encode("utf-8"), value=value,
                     headers=[("content-type", b"image/png"), ("frame-id", frame_id.encode()),
                              ("model", args.model.encode())])
    if producer.flush(30) != 0:
        print("error: the frame was not delivered")
        return 1

    while time.time() < deadline:
        m = consumer.poll(0.5)
        if m is None or m.error():
            continue
        headers = {k: v.decode("utf-8") for k, v in (m.headers() or [])}
        if headers.get("frame-id") != frame_id:
            continue
        print("key=%s frame=%s model=%s version=%s content-type=%s bytes=%d" % (
            m.key().decode("utf-8"), frame_id, headers.get("model"), headers.get("model-version"),
            headers.get("content-type"), len(m.value())))
        consumer.close()
        return 0
    consumer.close()
    print("error: no denoised frame for %s within %.0f s" % (frame_id, args.timeout))
    return 1


if __name__ == "__main__":
    sys.exit(main())
