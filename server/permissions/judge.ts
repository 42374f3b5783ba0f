import type { DraftTypes } from "../../schema/yregistry.ts";
import type { Identity, Verdict } from "../guard.ts";
import { collectChanges } from "./changes.ts";
import { documentRules } from "./document-rules.ts";
import type { Era } from "./era.ts";
import type { MarkIndex } from "./mark-index.ts";
import { registryRules, registryShape } from "./registry-rules.ts";
import type { TypingVerdicts } from "./typing.ts";
import { Judgement } from "./view.ts";

// The order in which an update is judged: structure (nothing outside the draft's types, no
// foreign content), the observer's read-only rule, the shape of every registry value (for
// every role, the chair included), then the role's rules for the registry and for the words
// (where every role's new marks must have registry entries). The first refusal wins.

const allowed: Verdict = { ok: true };

/** How a transaction is judged. */
export interface JudgeOptions {
  /**
   * Read a block that only gained string items from those items (default true). False
   * aligns every touched block's words in full: slower, and the reference the quick reading
   * is tested against.
   */
  readonly localDiffs?: boolean;
}

/**
 * Judge the transaction `era` (an incoming update applied to the room's document) as sent
 * by `identity`; `index` locates the words of marks. `typing` holds the mark sets the sender
 * was already allowed to type under, and learns new ones; pass it only for a transaction
 * that leaves the registry as it was (see typing.ts). Returns `{ok: true}` or the first rule
 * it breaks.
 */
export function judgeTransaction(
  era: Era,
  identity: Identity,
  types: DraftTypes,
  index: MarkIndex,
  options: JudgeOptions = {},
  typing: TypingVerdicts | null = null,
): Verdict {
  const changes = collectChanges(era);
  if (options.localDiffs === false) changes.stringsOnly.clear();
  const fault = changes.faults[0];
  if (fault) return { ok: false, rule: fault.rule, reason: fault.reason };
  if (!changes.touched) return allowed;
  if (identity.role === "observer") {
    return { ok: false, rule: "observer-read-only", reason: "Observers may not change the draft" };
  }
  const j = new Judgement(era, changes, identity, types, index, typing);
  const refusal = registryShape(j) ?? roleRules(j);
  return refusal ?? allowed;
}

function roleRules(j: Judgement): Verdict | null {
  switch (j.identity.role) {
    case "chair":
      return documentRules(j);
    case "secretariat":
    case "delegation":
      return registryRules(j) ?? documentRules(j);
    case "observer":
      return {
        ok: false,
        rule: "observer-read-only",
        reason: "Observers may not change the draft",
      };
    default: {
      const never: never = j.identity.role;
      throw new RangeError(`Unknown role ${String(never)}`);
    }
  }
}
