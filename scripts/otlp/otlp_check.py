#!/usr/bin/env python3
"""Sends GenAI spans to the service through the OpenTelemetry Python SDK and checks what it stored.

The spans go through the SDK's OTLP/HTTP exporter (protobuf, as the exporter sends them), once more
(a retry of the same batch: nothing is stored twice), and a batch encoded by the SDK's own encoder
in OTLP's JSON form (hex trace and span ids, as the OTLP specification maps them) posted as
application/json. The price table (the shipped config/model-prices.json) is loaded first: spans
without gen_ai.usage.cost are priced by it (cached input tokens at their own price), and a span of
a model it does not know is stored at cost 0 and named in a partial success that rejects nothing.
Then the service's API must give each agent's operations, tokens, costs (computed here from the
same table, in exact decimal arithmetic) and success rate, and a span with a malformed attribute
must come back as a partial success. Prints `N passed, M failed`.
"""

import argparse
import base64
import json
import sys
import time
import urllib.request
from decimal import ROUND_HALF_UP, Decimal

from google.protobuf import json_format
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def emit(provider_resource, plan):
    """Runs `plan(tracer)` under a provider with `provider_resource`; returns the finished spans."""
    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create(provider_resource))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    plan(provider.get_tracer("otlp-check"))
    provider.shutdown()
    return memory.get_finished_spans()


def genai(
    tracer, agent, operation, model, input_tokens, output_tokens, fail=False, cost=None, role=None, bad=None, cached=None
):
    with tracer.start_as_current_span(f"{operation} {model}") as span:
        span.set_attribute("gen_ai.operation.name", operation)
        if agent:
            span.set_attribute("gen_ai.agent.name", agent)
        if role:
            span.set_attribute("gen_ai.agent.role", role)
        span.set_attribute("gen_ai.request.model", model)
        span.set_attribute("gen_ai.usage.input_tokens", bad if bad is not None else input_tokens)
        span.set_attribute("gen_ai.usage.output_tokens", output_tokens)
        if cached is not None:
            span.set_attribute("gen_ai.usage.cache_read.input_tokens", cached)
        if cost is not None:
            span.set_attribute("gen_ai.usage.cost", cost)
        if fail:
            span.set_attribute("error.type", "rate_limit_exceeded")
            span.set_status(Status(StatusCode.ERROR, "429 from the provider"))
        time.sleep(0.002)


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return json.load(response)


def price_nanos(prices, model, input_tokens, output_tokens, cached=0):
    """The cost the service must decide, in nano-dollars: per the README's rule, exactly."""
    entry = prices[model]
    entry = entry[-1] if isinstance(entry, list) else entry

    def per_million(key, fallback=None):
        value = entry.get(key)
        if value is None:
            return fallback
        return int((Decimal(str(value)) * 1_000_000_000).to_integral_value(ROUND_HALF_UP))

    p_in = per_million("input_usd_per_million")
    p_out = per_million("output_usd_per_million")
    p_cached = per_million("cached_input_usd_per_million", p_in)
    total = (input_tokens - cached) * p_in + cached * p_cached + output_tokens * p_out
    return (total + 500_000) // 1_000_000


def usd4(nanos):
    """USD rounded to 4 places as the contract renders it."""
    return float((Decimal(nanos) / Decimal(1_000_000_000)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


def post(base, body, content_type, path="/v1/traces", method="POST"):
    request = urllib.request.Request(base + path, data=body, method=method, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers.get("Content-Type"), response.read()


def to_otlp_json(spans):
    """The SDK's protobuf request in OTLP's JSON encoding: ids in hex, not protobuf JSON's base64."""
    message = json_format.MessageToDict(encode_spans(spans), use_integers_for_enums=True)
    for resource_spans in message.get("resourceSpans", []):
        for scope in resource_spans.get("scopeSpans", []):
            for span in scope.get("spans", []):
                for key in ("traceId", "spanId", "parentSpanId"):
                    if key in span:
                        span[key] = base64.b64decode(span[key]).hex()
    return json.dumps(message).encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--prices", required=True, help="the price table to load (config/model-prices.json)")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    exporter = OTLPSpanExporter(endpoint=base + "/v1/traces")
    with open(args.prices, "rb") as f:
        table_bytes = f.read()
    prices = json.loads(table_bytes)["prices"]
    status, _, body = post(base, table_bytes, "application/json", path="/api/v1/admin/prices", method="PUT")
    check("the shipped price table loads", status == 200, f"{status} {body[:200]!r}")

    # Agent "coder" (gen_ai.agent.name, role developer): 4 chats, one failing, two with a cost;
    # the others priced by the table (one with cached input tokens).
    def coder(tracer):
        genai(tracer, "coder", "chat", "gpt-4o", 1200, 300, cost=0.0105, role="developer")
        genai(tracer, "coder", "chat", "gpt-4o", 800, 200, cost=0.007, role="developer")
        genai(tracer, "coder", "chat", "gpt-4o", 500, 0, fail=True, role="developer")
        genai(tracer, "coder", "chat", "claude-sonnet-4-5", 100, 50, role="developer", cached=60)
        with tracer.start_as_current_span("http GET /healthz"):  # not a GenAI span: ignored
            pass

    # Agent named by the resource's service.name (role from service.namespace).
    def summarizer(tracer):
        genai(tracer, None, "text_completion", "gpt-4o-mini", 3000, 400, cost=0.0007)
        genai(tracer, None, "embeddings", "text-embedding-3-small", 2500, 0, cost=0.0005)

    coder_spans = emit({"service.name": "agent-runtime"}, coder)
    summarizer_spans = emit({"service.name": "summarizer", "service.namespace": "research"}, summarizer)
    from opentelemetry.sdk.trace.export import SpanExportResult

    first = exporter.export(list(coder_spans) + list(summarizer_spans))
    check("the SDK's protobuf exporter is answered with success", first == SpanExportResult.SUCCESS, str(first))
    retry = exporter.export(list(coder_spans) + list(summarizer_spans))
    check("a retry of the same batch succeeds", retry == SpanExportResult.SUCCESS, str(retry))

    # JSON: a third agent, encoded by the SDK's encoder, posted as OTLP JSON.
    def reviewer(tracer):
        genai(tracer, "reviewer", "chat", "gpt-4o", 700, 150, cost=0.003, role="qa")
        genai(tracer, "reviewer", "chat", "gpt-4o", 900, 100, fail=True, cost=0.001, role="qa")

    reviewer_spans = emit({"service.name": "agent-runtime"}, reviewer)
    # A model the table does not know: stored at cost 0, named in a partial success that rejects nothing.
    unknown = emit(
        {"service.name": "agent-runtime"},
        lambda t: genai(t, "reviewer", "chat", "in-house-llm-7b", 400, 40, role="qa"),
    )
    status, content_type, body = post(base, encode_spans(list(unknown)).SerializeToString(), "application/x-protobuf")
    answer = ExportTraceServiceResponse.FromString(body)
    check(
        "a span of an unknown model is stored at cost 0 and named in the partial success",
        status == 200
        and answer.partial_success.rejected_spans == 0
        and "in-house-llm-7b" in answer.partial_success.error_message,
        f"{status} {answer}",
    )
    status, content_type, body = post(base, to_otlp_json(reviewer_spans), "application/json")
    check(
        "a JSON export is answered 200 in JSON without a partial success",
        status == 200 and content_type == "application/json" and json.loads(body) == {},
        f"{status} {content_type} {body[:200]!r}",
    )

    # A span with a malformed attribute (tokens as a string): a partial success, protobuf answer.
    bad = emit({"service.name": "agent-runtime"}, lambda t: genai(t, "coder", "chat", "gpt-4o", 0, 1, bad="lots"))
    good = emit({"service.name": "agent-runtime"}, lambda t: genai(t, "coder", "chat", "gpt-4o", 10, 5))
    status, content_type, body = post(
        base, encode_spans(list(bad) + list(good)).SerializeToString(), "application/x-protobuf"
    )
    answer = ExportTraceServiceResponse.FromString(body)
    check(
        "a malformed span is rejected as a partial success, the other stored",
        status == 200
        and answer.partial_success.rejected_spans == 1
        and "gen_ai.usage.input_tokens" in answer.partial_success.error_message,
        f"{status} {answer}",
    )

    agents = {a["name"]: a for a in get(base, "/api/v1/agents")["data"]}
    check(
        "agents registered on first sight with their roles",
        agents.get("coder", {}).get("role") == "developer"
        and agents.get("summarizer", {}).get("role") == "research"
        and agents.get("reviewer", {}).get("role") == "qa"
        and "agent-runtime" not in agents,
        str(agents),
    )
    nanos = 1_000_000_000
    expected = {
        # name: (operations, successful, tokens, cost in nano-dollars)
        "coder": (
            5,
            4,
            1200 + 300 + 800 + 200 + 500 + 100 + 50 + 15,
            int(Decimal("0.0105") * nanos)
            + int(Decimal("0.007") * nanos)
            + price_nanos(prices, "gpt-4o", 500, 0)
            + price_nanos(prices, "claude-sonnet-4-5", 100, 50, cached=60)
            + price_nanos(prices, "gpt-4o", 10, 5),
        ),
        "summarizer": (2, 2, 3400 + 2500, int(Decimal("0.0012") * nanos)),
        "reviewer": (3, 2, 850 + 1000 + 440, int(Decimal("0.004") * nanos)),
    }
    for name, (operations, successful, tokens, cost) in expected.items():
        agent = agents.get(name)
        if agent is None:
            check(f"{name} is stored", False)
            continue
        data = get(base, f"/api/v1/metrics/aggregate/by-agent/{agent['id']}")["data"]
        got = (
            data["tasks"]["total"],
            data["tasks"]["successful"],
            data["performance"]["total_tokens"],
            round(data["cost"]["total_usd"], 4),
        )
        want = (operations, successful, tokens, usd4(cost))  # the contract rounds USD to 4 places
        check(f"{name}: operations, successes, tokens and cost as the spans say (retry stored once)", got == want, f"{got} != {want}")
    with urllib.request.urlopen(base + "/metrics", timeout=30) as response:
        exposition = response.read().decode()
    check(
        "/metrics counts the span of the unknown model",
        "metrics_unknown_model_total 1" in exposition,
        "\n".join(line for line in exposition.splitlines() if "unknown_model" in line),
    )
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
