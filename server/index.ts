// The public API of the sync server. PROTOCOL.md is the wire contract.
export { Connection, type ConnectionLimits, defaultLimits } from "./connection.ts";
export {
  type CreatedNegotiation,
  createInvitation,
  createNegotiation,
  defaultInvitationDays,
  ensureDemo,
  type IssuedInvitation,
  identityOf,
  partiesInDraft,
  tokenFor,
} from "./documents.ts";
export {
  type ExportFormat,
  type ExportRequest,
  exportFormat,
  exportFormatNames,
  exportLangs,
  exportModes,
  registerExportFormat,
} from "./export.ts";
export { type Identity, observerGuard, type UpdateGuard, type Verdict } from "./guard.ts";
export type { Hooks } from "./hooks.ts";
export { invitationLink } from "./http.ts";
export { Metrics } from "./metrics.ts";
export { type PresenceUser, presenceUser } from "./presence.ts";
export { CloseCode, decodeClientMessage, MessageType, SyncType } from "./protocol.ts";
export { Room } from "./room.ts";
export { createServer, type ParleyServer, type ServerOptions } from "./server.ts";
export { type Durability, openSqliteStore } from "./sqlite-store.ts";
export type { DocumentInfo, Invitation, Store, StoredDocument } from "./store.ts";
export { type Principal, TokenIssuer } from "./tokens.ts";
