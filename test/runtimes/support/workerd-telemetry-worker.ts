import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createVerifier } from '@keyguard/core';
import { openTelemetry } from '@keyguard/core/opentelemetry';
import { unkey } from '@keyguard/unkey';

// A Worker with OpenTelemetry chosen explicitly (`@keyguard/core/opentelemetry`: the fetch build does not look for
// `@opentelemetry/api` by itself) and the SDK's in-memory span exporter; it verifies the `x-api-key` of each request
// and answers the verification and the spans finished so far.

interface Env {
  UNKEY: { baseUrl: string; rootKey: string };
}

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
let verifier: ReturnType<typeof createVerifier> | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    verifier ??= createVerifier({ provider: unkey({ ...env.UNKEY, timeoutMs: 15_000 }), telemetry: openTelemetry() });
    const verification = await verifier.verify(request.headers.get('x-api-key') ?? '');
    const spans = exporter.getFinishedSpans().map((span) => ({ name: span.name, attributes: span.attributes }));
    return Response.json({ valid: verification.valid, spans });
  },
};
