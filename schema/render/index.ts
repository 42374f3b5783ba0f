// The public API of the text notation: the intermediate rendering every export writer
// builds from, the plain-text writer and the reader of its annotated output.
export * from "./annotated-reader.ts";
export * from "./canonical.ts";
export * from "./rendering.ts";
export * from "./text.ts";
export {
  chairLabel,
  type Lang,
  type Wording,
  wordEnteredBy,
  wording,
  wordPartyRef,
  wordStance,
} from "./words.ts";
