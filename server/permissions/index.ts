// The permission guard of DESIGN §5: the server's check of every incoming update.
export { identityKey } from "./clients.ts";
export {
  createPermissionGuard,
  type PermissionGuard,
  type PermissionGuardOptions,
} from "./guard.ts";
export { type JudgeOptions, judgeTransaction } from "./judge.ts";
export { type RuleName, ruleNames } from "./rules.ts";
