// The public API of the model shared by the client, the server and the tests.

export * from "./commands/index.ts";
export * from "./draft.ts";
export * from "./formats/index.ts";
export * from "./ids.ts";
export * from "./import/index.ts";
export * from "./numbering.ts";
export * from "./parties.ts";
export * from "./permissions.ts";
export * from "./queries.ts";
export * from "./ranges.ts";
export * from "./registry.ts";
export * from "./render/index.ts";
export * from "./schema.ts";
export * from "./state.ts";
export * from "./yregistry.ts";
