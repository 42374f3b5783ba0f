// The server's counters, rendered in the Prometheus text exposition format at /metrics.
// Hand-written because the set is small and fixed; a metrics library would be the one
// dependency for a few dozen lines.

const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] as const;

/** Everything the server counts. Gauges are read through callbacks when rendered. */
export class Metrics {
  connectionsTotal = 0;
  updatesIn = 0;
  updatesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  storeFailures = 0;
  readonly refusals = new Map<string, number>();
  readonly disconnects = new Map<string, number>();
  readonly #writeBuckets: number[] = latencyBuckets.map(() => 0);
  #writeCount = 0;
  #writeSum = 0;

  /** `gauges` reports the current number of rooms and connections. */
  constructor(private readonly gauges: () => { rooms: number; connections: number }) {}

  /** Count an update refused by a guard under `rule`. */
  refused(rule: string): void {
    this.refusals.set(rule, (this.refusals.get(rule) ?? 0) + 1);
  }

  /** Count a connection the server closed for `reason` (malformed, flood, …). */
  disconnected(reason: string): void {
    this.disconnects.set(reason, (this.disconnects.get(reason) ?? 0) + 1);
  }

  /** Record how long one durable write (a commit of one batch of updates) took, in seconds. */
  observeWrite(seconds: number): void {
    this.#writeCount++;
    this.#writeSum += seconds;
    latencyBuckets.forEach((bound, i) => {
      if (seconds <= bound) this.#writeBuckets[i]!++;
    });
  }

  /** The Prometheus text exposition of every metric. */
  render(): string {
    const { rooms, connections } = this.gauges();
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: string[]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    };
    const labelled = (name: string, label: string, values: Map<string, number>) =>
      [...values].map(([key, n]) => `${name}{${label}="${escapeLabel(key)}"} ${n}`);
    metric("parley_rooms", "gauge", "Documents loaded in memory.", [`parley_rooms ${rooms}`]);
    metric("parley_connections", "gauge", "Open websocket connections.", [
      `parley_connections ${connections}`,
    ]);
    metric("parley_connections_total", "counter", "Websocket connections accepted.", [
      `parley_connections_total ${this.connectionsTotal}`,
    ]);
    metric("parley_updates_in_total", "counter", "Document updates applied from clients.", [
      `parley_updates_in_total ${this.updatesIn}`,
    ]);
    metric("parley_updates_out_total", "counter", "Document updates relayed to clients.", [
      `parley_updates_out_total ${this.updatesOut}`,
    ]);
    metric("parley_bytes_in_total", "counter", "Bytes received in websocket frames.", [
      `parley_bytes_in_total ${this.bytesIn}`,
    ]);
    metric("parley_bytes_out_total", "counter", "Bytes sent in websocket frames.", [
      `parley_bytes_out_total ${this.bytesOut}`,
    ]);
    metric("parley_store_failures_total", "counter", "Failed durable writes.", [
      `parley_store_failures_total ${this.storeFailures}`,
    ]);
    metric(
      "parley_refusals_total",
      "counter",
      "Updates refused by a guard, by rule.",
      labelled("parley_refusals_total", "rule", this.refusals),
    );
    metric(
      "parley_disconnects_total",
      "counter",
      "Connections closed by the server for bad behaviour, by reason.",
      labelled("parley_disconnects_total", "reason", this.disconnects),
    );
    const cumulative = latencyBuckets.map(
      (bound, i) => `parley_store_write_seconds_bucket{le="${bound}"} ${this.#writeBuckets[i]}`,
    );
    metric(
      "parley_store_write_seconds",
      "histogram",
      "Latency of durable writes (one commit per batch of updates).",
      [
        ...cumulative,
        `parley_store_write_seconds_bucket{le="+Inf"} ${this.#writeCount}`,
        `parley_store_write_seconds_sum ${this.#writeSum}`,
        `parley_store_write_seconds_count ${this.#writeCount}`,
      ],
    );
    return `${lines.join("\n")}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
