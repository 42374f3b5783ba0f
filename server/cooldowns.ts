// Invitations a room turns away for a while. A refused update that had got into the room's
// document costs the room a rebuild of it; so that one participant cannot keep a room
// rebuilding, the invitation that sent it waits before it may join again, twice as long
// after each further such refusal, up to a minute.

/** The longest an invitation is turned away. */
const maxCooldownMs = 60_000;

/** The invitations of one room that must wait, and until when. */
export class Cooldowns {
  readonly #entries = new Map<string, { strikes: number; until: number }>();

  /** `baseMs`: the wait after the first refusal. */
  constructor(private readonly baseMs: number) {}

  /** Count a refusal that cost a rebuild against `invitation`. */
  penalise(invitation: string): void {
    const strikes = (this.#entries.get(invitation)?.strikes ?? 0) + 1;
    const wait = Math.min(this.baseMs * 2 ** (strikes - 1), maxCooldownMs);
    this.#entries.set(invitation, { strikes, until: performance.now() + wait });
  }

  /** Milliseconds `invitation` must still wait before it may join; 0 when it may join now. */
  remaining(invitation: string): number {
    const until = this.#entries.get(invitation)?.until ?? 0;
    return Math.max(0, Math.ceil(until - performance.now()));
  }
}
