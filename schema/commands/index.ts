// The negotiation commands (DESIGN §3, §5): ProseMirror commands in the
// `(state, dispatch?) => boolean` convention, each a factory taking the acting `Actor`
// first. A probe without `dispatch` has no effect; a dispatched command changes the
// document and the registry in one transaction (see schema/MODEL.md).
export * from "./alternative.ts";
export * from "./chair.ts";
export * from "./decide.ts";
export * from "./editing.ts";
export * from "./positions.ts";
export * from "./propose.ts";
export * from "./withdraw.ts";
export {
  attributionMark,
  bracketMark,
  chairAlternativeMark,
  type FoundBlock,
  findBlock,
  textExtent,
} from "./words.ts";
