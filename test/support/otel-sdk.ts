import { context, metrics, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/** A reader that exports nothing: tests collect on demand. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface MetricPoint {
  attributes: Attributes;
  value: number | Histogram;
}

/**
 * The OpenTelemetry SDK with in-memory exporters, the way an app would start it: providers registered as the
 * globals, async-context propagation on. `register: false` only builds the providers (for `openTelemetry({…})`).
 */
export class TestSdk {
  readonly spanExporter = new InMemorySpanExporter();
  readonly tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.spanExporter)] });
  private readonly reader = new CollectingReader();
  readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  private contextManager: AsyncLocalStorageContextManager | undefined;

  register(): this {
    this.contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(this.contextManager);
    trace.setGlobalTracerProvider(this.tracerProvider);
    metrics.setGlobalMeterProvider(this.meterProvider);
    return this;
  }

  spans(): ReadableSpan[] {
    return this.spanExporter.getFinishedSpans();
  }

  spansNamed(name: string): ReadableSpan[] {
    return this.spans().filter((span) => span.name === name);
  }

  /** Every metric collected now, by name. */
  async metrics(): Promise<Map<string, MetricData>> {
    const { resourceMetrics } = await this.reader.collect();
    const byName = new Map<string, MetricData>();
    for (const scope of resourceMetrics.scopeMetrics)
      for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
    return byName;
  }

  /** The points of one metric (empty when it was never recorded). */
  async points(name: string): Promise<MetricPoint[]> {
    const metric = (await this.metrics()).get(name);
    return (metric?.dataPoints ?? []).map((point: DataPoint<unknown>) => ({
      attributes: point.attributes,
      value: point.value as number | Histogram,
    }));
  }

  /** Everything recorded, as text: spans with their attributes, events and status, and every metric point. */
  async everythingAsText(): Promise<string> {
    const spans = this.spans().map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events,
      status: span.status,
      links: span.links,
    }));
    const { resourceMetrics } = await this.reader.collect();
    return JSON.stringify({ spans, metrics: resourceMetrics.scopeMetrics });
  }

  reset(): void {
    this.spanExporter.reset();
  }

  async shutdown(): Promise<void> {
    trace.disable();
    metrics.disable();
    context.disable();
    this.contextManager?.disable();
    await this.tracerProvider.shutdown();
    await this.meterProvider.shutdown();
  }
}
