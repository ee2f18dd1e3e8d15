// Preloaded (`--import`) in the "with an SDK" telemetry configuration, the way an app's instrumentation file starts
// OpenTelemetry before the app: async-context propagation, a tracer provider batching spans to an exporter, a meter
// provider aggregating in memory (collected when the process reports).
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';

class CollectingReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

const reader = new CollectingReader();
const spans = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spans)] }));
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

/** How many verifications the SDK recorded: proof that this configuration measured what it says. */
globalThis.keyguardBenchVerificationsRecorded = async () => {
  const { resourceMetrics } = await reader.collect();
  let total = 0;
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics)
      if (metric.descriptor.name === 'keyguard.verifications')
        for (const point of metric.dataPoints) total += point.value;
  }
  return total;
};
