import { Counter, Histogram, Registry } from 'prom-client';

/** Seconds; the local service answers most operations well under a millisecond. */
const DURATION_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The key service's metrics, in a registry of its own (several servers in one process do not share counts), in
 * Prometheus' text format: requests by operation and status, their duration, and verification outcomes.
 */
export class ServiceMetrics {
  private readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'keyguard_server_requests_total',
    help: 'Requests answered, by operation and HTTP status',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
  });
  private readonly durations = new Histogram({
    name: 'keyguard_server_request_duration_seconds',
    help: 'Time from a request arriving to its answer being written, by operation',
    labelNames: ['operation'] as const,
    buckets: DURATION_BUCKETS_S,
    registers: [this.registry],
  });
  private readonly verifications = new Counter({
    name: 'keyguard_server_verifications_total',
    help: 'Keys verified, by wire format (unkey, clerk) and outcome code',
    labelNames: ['format', 'code'] as const,
    registers: [this.registry],
  });

  readonly contentType = this.registry.contentType;
  // The series of each label set, looked up once: prom-client hashes the labels on every call otherwise, and these
  // are counted on every request (the label sets are few: operations × statuses, formats × codes).
  private readonly series = new Map<string, { inc(): void }>();
  private readonly timings = new Map<string, { observe(value: number): void }>();

  answered(operation: string, status: number, seconds: number): void {
    const key = `${operation} ${status}`;
    let requests = this.series.get(key);
    if (!requests) this.series.set(key, (requests = this.requests.labels(operation, String(status))));
    requests.inc();
    let durations = this.timings.get(operation);
    if (!durations) this.timings.set(operation, (durations = this.durations.labels(operation)));
    durations.observe(seconds);
  }

  verified(format: 'unkey' | 'clerk', code: string): void {
    const key = `verified ${format} ${code}`;
    let verifications = this.series.get(key);
    if (!verifications) this.series.set(key, (verifications = this.verifications.labels(format, code)));
    verifications.inc();
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}
