// The permission checks' cost, measured with Parley with checks and Parley without them
// taking turns in one window. Both servers run at once on the server core, each with its own
// typers and receivers in the one load generator; only one server's typers type at a time,
// for a short turn (25 ms in the full plan), then the other's. Whatever the machine does
// during the window (the hypervisor stealing the core for tens of milliseconds, which is what
// moves one run's p99 by tens of percent) falls on both servers alike, turn after turn, where
// runs made one after the other each meet the machine at a different moment. Turns of 250 ms
// were tried first and were too long: a burst of steal fell inside one server's turn.

import { type FanoutCell, type FanoutSpec, runLanes } from "./fanout.ts";
import type { ServerName } from "./peers.ts";

/** A cell where the two take turns. */
export interface TurnCell {
  readonly connections: number;
  readonly rate: number;
}

/** One run of a cell taking turns: the two servers' measurements of the same window. */
export interface TurnsRun {
  /** Parley as it ships, checks on. */
  readonly checksOn: FanoutCell;
  /** Parley with the checks swapped for the observer rule. */
  readonly checksOff: FanoutCell;
  /** Which of the two typed first in each round. */
  readonly first: "on" | "off";
}

/** Every run of one cell taking turns. */
export interface TurnsCell extends TurnCell {
  readonly runs: readonly TurnsRun[];
}

/** How the cells taking turns were measured, and what they measured. */
export interface TurnsResult {
  /** How long each server typed before the other took over. */
  readonly turnMs: number;
  /** Warm-up and measured window of a run, both servers' turns together. */
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly cells: readonly TurnsCell[];
}

/**
 * The servers in the order they type for the `repeat`th run (from 0): checks on first in
 * even runs, checks off first in odd ones, so that neither always follows the other.
 */
export function turnOrder(repeat: number): readonly [ServerName, ServerName] {
  return repeat % 2 === 0 ? ["parley", "parley-nochecks"] : ["parley-nochecks", "parley"];
}

/**
 * Measure one run of a cell with the two taking turns of `turnMs`. `spec` is the whole run:
 * its warm-up and window hold both servers' turns. Never rejects (see `runLanes`).
 */
export async function runTurns(
  spec: FanoutSpec,
  turnMs: number,
  repeat: number,
  scratch: string,
): Promise<TurnsRun> {
  const order = turnOrder(repeat);
  const cells = await runLanes(order, spec, scratch, turnMs);
  const of = (server: ServerName) => cells[order.indexOf(server)] as FanoutCell;
  return {
    checksOn: of("parley"),
    checksOff: of("parley-nochecks"),
    first: order[0] === "parley" ? "on" : "off",
  };
}
