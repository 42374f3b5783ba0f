// Servers taking turns in one window: Parley with checks and Parley without them, for the
// permission checks' cost, and Parley and the two peers, for parity with them. The servers
// run at once on the server core, each with its own typers and receivers in the one load
// generator; only one server's typers type at a time, for a short turn (25 ms in the full
// plan), then the next's. Whatever the machine does during the window (the hypervisor
// stealing the core for tens of milliseconds, which is what moves one run's p99 by tens of
// percent) falls on every server alike, turn after turn, where runs made one after the other
// each meet the machine at a different moment. Turns of 250 ms were tried first and were too
// long: a burst of steal fell inside one server's turn.

import { type FanoutCell, type FanoutSpec, runLanes } from "./fanout.ts";
import { parityServers, type ServerName } from "./peers.ts";

/** A cell where servers take turns. */
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

/** How cells where servers take turns were measured, and every run of each. */
export interface TurnsOf<Run> {
  /** How long each server typed before the next took over. */
  readonly turnMs: number;
  /** Warm-up and measured window of a run, every server's turns together. */
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly cells: readonly (TurnCell & { readonly runs: readonly Run[] })[];
}

/** Parley with checks and without taking turns. */
export type TurnsResult = TurnsOf<TurnsRun>;
/** Every run of one cell where Parley with checks and without take turns. */
export type TurnsCell = TurnsResult["cells"][number];

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

/** One run of a cell where Parley and the peers take turns: each server's measurement. */
export interface ParityRun {
  /** The servers in the order they typed in each round. */
  readonly order: readonly ServerName[];
  /** One cell per server, in `order`. */
  readonly cells: readonly FanoutCell[];
}

/** Parley and the peers taking turns. */
export type ParityResult = TurnsOf<ParityRun>;
/** Every run of one cell where Parley and the peers take turns. */
export type ParityCell = ParityResult["cells"][number];

/**
 * The servers in the order they type for the `repeat`th run (from 0). In every three runs
 * each server types first once; the cycle runs one way (Parley, reference, Hocuspocus) in
 * runs 1, 2 and 6 of every six and the other way in runs 3, 4 and 5, so that over six runs
 * each server types right after each other server as often (whoever types before a server
 * can leave it work still under way when its turn begins).
 */
export function parityOrder(repeat: number): readonly ServerName[] {
  const forward = parityServers;
  const backward = [forward[0], ...forward.slice(1).reverse()] as ServerName[];
  const n = forward.length;
  const rotate = (cycle: readonly ServerName[], by: number) =>
    cycle.map((_, i) => cycle[(i + by) % n] as ServerName);
  const orders = [
    rotate(forward, 0),
    rotate(forward, 1),
    rotate(backward, 1),
    rotate(backward, 0),
    rotate(backward, 2),
    rotate(forward, 2),
  ];
  return orders[repeat % orders.length] as ServerName[];
}

/**
 * Measure one run of a cell with Parley and the peers taking turns of `turnMs`; `spec` is the
 * whole run, every server's turns together. Never rejects (see `runLanes`).
 */
export async function runParityTurns(
  spec: FanoutSpec,
  turnMs: number,
  repeat: number,
  scratch: string,
): Promise<ParityRun> {
  const order = parityOrder(repeat);
  return { order, cells: await runLanes(order, spec, scratch, turnMs) };
}
