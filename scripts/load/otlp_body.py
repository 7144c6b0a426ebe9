#!/usr/bin/env python3
"""Writes an OTLP/HTTP protobuf ExportTraceServiceRequest of N GenAI spans (hand-encoded, no
dependencies) for scripts/load/post-otlp.lua. Every span's trace id is the 16 bytes
`TRACEIDPLACEHOLD`, its start and end times the 8 bytes `STARTNS!` and `ENDNS!!!`, which the Lua
script replaces per request: a fresh trace id (each request's spans are new metrics, as an
exporter's are), the current second as the start, and the start plus (200 + i mod 900) ms as the
end of span i (1-based). Span ids are 1..N.

Usage: otlp_body.py OUT [--spans 1000] [--agents 10]
"""

import argparse
import struct


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, wire, payload):
    return varint(number << 3 | wire) + payload


def length_delimited(number, data):
    return field(number, 2, varint(len(data)) + data)


def any_string(s):
    return length_delimited(1, s.encode())


def any_int(i):
    return field(3, 0, varint(i))


def key_value(key, value):
    return length_delimited(1, key.encode()) + length_delimited(2, value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--spans", type=int, default=1000)
    parser.add_argument("--agents", type=int, default=10)
    args = parser.parse_args()
    models = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-flash"]
    spans = bytearray()
    for i in range(1, args.spans + 1):
        attributes = [
            key_value("gen_ai.operation.name", any_string("chat")),
            key_value("gen_ai.agent.name", any_string(f"otlp-load-{i % args.agents + 1}")),
            key_value("gen_ai.agent.role", any_string("load")),
            key_value("gen_ai.request.model", any_string(models[i % len(models)])),
            key_value("gen_ai.usage.input_tokens", any_int(400 + i % 700)),
            key_value("gen_ai.usage.output_tokens", any_int(50 + i % 300)),
        ]
        span = (
            length_delimited(1, b"TRACEIDPLACEHOLD")
            + length_delimited(2, struct.pack(">Q", i))
            + length_delimited(5, b"chat")
            + field(7, 1, b"STARTNS!")
            + field(8, 1, b"ENDNS!!!")
            + b"".join(length_delimited(9, a) for a in attributes)
        )
        spans += length_delimited(2, span)
    resource = length_delimited(1, key_value("service.name", any_string("otlp-load")))
    scope_spans = length_delimited(1, length_delimited(1, b"load")) + bytes(spans)
    resource_spans = length_delimited(1, resource) + length_delimited(2, scope_spans)
    request = length_delimited(1, resource_spans)
    with open(args.out, "wb") as f:
        f.write(request)


if __name__ == "__main__":
    main()
