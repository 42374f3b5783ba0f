import type { FanoutMeasurement } from "../bench/load.ts";

// What the benchmark's harness tests build runs and cells from.

/** A plausible valid fan-out measurement with p99 `p99` ms, changed by `over`. */
export function measurement(p99: number, over: Partial<FanoutMeasurement> = {}): FanoutMeasurement {
  return {
    connected: 50,
    synced: 46,
    connectErrors: [],
    connectMs: 100,
    editsMeasured: 600,
    achievedRate: 100,
    latency: { count: 600, p50: p99 / 2, p95: p99 * 0.9, p99, max: p99 * 2 },
    undeliveredEdits: 0,
    undeliveredDeliveries: 0,
    receiversLost: 0,
    serverCoreShare: 0.2,
    serverCpuMsPerEdit: 0.5,
    serverPeakRss: 80 * 2 ** 20,
    loadGeneratorShare: 0.3,
    deliveriesPerSecond: 4600,
    othersOnServerCore: 0.02,
    othersOnLoadCore: 0.02,
    stolenOnServerCore: 0.01,
    stolenOnLoadCore: 0.01,
    ...over,
  };
}
