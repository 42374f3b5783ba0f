// The names of the permission rules, as they appear in close reasons and refusal metrics,
// with the sentence each stands for. One list, so that the metric's label set is known in
// advance and the protocol documentation cannot drift from the code.

/** Every rule the permission guard can refuse an update under. */
export const ruleNames = {
  "update-too-large": "The update is larger than the server accepts.",
  "update-malformed": "The update cannot be decoded or applied.",
  "update-incomplete": "The update depends on changes the server does not have.",
  "client-id-bound": "The update carries structs of a Yjs client id bound to another participant.",
  "unknown-type": "The update writes outside the draft's document and registry maps.",
  "content-malformed":
    "The update writes something no draft holds: a foreign node, attribute, mark or type.",
  "observer-read-only": "Observers may not change the draft.",
  "registry-malformed": "A registry value has unknown keys, wrong types or oversized strings.",
  "mark-without-entry": "A mark was put on words without a registry entry behind it.",
  "text-outside-own-bracket":
    "A delegation added words outside its own open insertion or alternative wording.",
  "text-without-own-attribution": "A delegation added words without its own attribution.",
  "delete-outside-own-proposal":
    "A delegation deleted words that are not its own open proposal (agreed text, others' words).",
  "mark-forbidden":
    "A delegation added or removed a mark it may not (only its own deletion bracket and comments).",
  "block-forbidden":
    "A delegation added, removed or changed a block other than its own alternative wording.",
  "proposal-in-other-name":
    "A bracket or attribution is not in the sender's name (or not recorded as entered by it).",
  "position-in-other-name":
    "A position is not the sender's own (or not recorded as entered by it).",
  "bracket-status": "A bracket status change the sender may not make (lift, drop, reopen).",
  "registry-immutable":
    "A registry entry's fixed facts were changed, or an entry replaced or removed.",
  "chair-alternative-chair-only":
    "Only the chair writes, adopts or withdraws chair's alternative texts.",
  "agreement-forbidden": "Only the chair and the secretariat mark paragraphs agreed or ad ref.",
  "comment-in-other-name": "A delegation wrote or removed another's comment.",
  "meta-forbidden": "Only the chair and the secretariat change the draft's meta data.",
} as const;

/** The name of a permission rule. */
export type RuleName = keyof typeof ruleNames;
