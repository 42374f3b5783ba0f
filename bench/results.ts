// The record one benchmark run leaves behind (bench/results/<date>.json), from which
// RESULTS.md is rendered.

import { cpus, loadavg } from "node:os";
import type { DraftsResult } from "./drafts.ts";
import type { FanoutCell } from "./fanout.ts";
import type { ServerName } from "./peers.ts";
import type { ParityResult, TurnsResult } from "./turns.ts";

/** The machine a run measured on. */
export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  /** Whether server and load generator were pinned to separate cores with taskset. */
  readonly pinned: boolean;
  /** The 1-minute load average when the run began: above ~0.5 someone else was busy. */
  readonly loadAverageAtStart: number;
}

/** How the fan-out cells of a run were measured. */
export interface FanoutMethod {
  /** Runs per cell and server, each with a fresh server; see repeats.ts. */
  readonly repeats: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly drainMs: number;
}

/** Everything one run measured. */
export interface BenchResults {
  readonly version: 1;
  readonly mode: "quick" | "full" | "custom";
  readonly command: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: Machine;
  /** Absent in results files from before repeated runs (one run per cell, 1 s warm-up). */
  readonly method?: FanoutMethod;
  readonly servers: readonly ServerName[];
  /** Servers that could not be measured at all in this run, and why. */
  readonly unavailable: readonly { readonly server: ServerName; readonly reason: string }[];
  readonly fanout: readonly FanoutCell[];
  /**
   * Parley with checks and without taking turns in one window (bench/turns.ts); absent in
   * results files from before 2026-11-22 08:00, null when not run.
   */
  readonly turns?: TurnsResult | null;
  /**
   * Parley and the peers taking turns in one window (bench/turns.ts); absent in results files
   * from before 2026-11-22 10:00, null when not run.
   */
  readonly parity?: ParityResult | null;
  readonly drafts: DraftsResult | null;
}

/** Describe this machine. */
export function describeMachine(pinned: boolean): Machine {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    pinned,
    loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** The file name of a run's results: its start time, sortable, safe on every file system. */
export function resultsFileName(startedAt: Date): string {
  return `${startedAt
    .toISOString()
    .replace(/:/g, "-")
    .replace(/\.\d+Z$/, "Z")}.json`;
}
