import type { DraftTypes } from "../../schema/yregistry.ts";
import type { Identity, Verdict } from "../guard.ts";
import { collectChanges } from "./changes.ts";
import {
  delegationDocumentRules,
  marksHaveEntries,
  secretariatDocumentRules,
} from "./document-rules.ts";
import type { Era } from "./era.ts";
import { registryRules, registryShape } from "./registry-rules.ts";
import { Judgement } from "./view.ts";

// The order in which an update is judged: structure (nothing outside the draft's types, no
// foreign content), the observer's read-only rule, the shape of every registry value and
// the entries behind every new mark (for every role, the chair included), then the role's
// own rules. The first refusal wins.

const allowed: Verdict = { ok: true };

/**
 * Judge the transaction `era` (an incoming update applied to the shadow document) as sent
 * by `identity`. Returns `{ok: true}` or the first rule it breaks.
 */
export function judgeTransaction(era: Era, identity: Identity, types: DraftTypes): Verdict {
  const changes = collectChanges(era);
  const fault = changes.faults[0];
  if (fault) return { ok: false, rule: fault.rule, reason: fault.reason };
  if (!changes.touched) return allowed;
  if (identity.role === "observer") {
    return { ok: false, rule: "observer-read-only", reason: "Observers may not change the draft" };
  }
  const j = new Judgement(era, changes, identity, types);
  const refusal = registryShape(j) ?? marksHaveEntries(j) ?? roleRules(j);
  return refusal ?? allowed;
}

function roleRules(j: Judgement): Verdict | null {
  switch (j.identity.role) {
    case "chair":
      return null;
    case "secretariat":
      return registryRules(j) ?? secretariatDocumentRules(j);
    case "delegation":
      return registryRules(j) ?? delegationDocumentRules(j);
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
