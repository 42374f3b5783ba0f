import { partyName } from "../schema/parties.ts";
import type { BracketKind, BracketStatus, Role, Stance } from "../schema/registry.ts";

// The interface speaks English and Chinese. Party names are keyed by their English UN short
// name everywhere in the model and shown in the interface language through `partyName`.

/** A language of the interface. */
export type Lang = "en" | "zh";

/** All interface languages, in the order of the switcher. */
export const langs: readonly Lang[] = ["en", "zh"];

const en = {
  appName: "Parley",
  language: "Language",
  view: "View",
  "view.annotated": "Annotated",
  "view.unattributed": "Unattributed",
  "view.clean": "Clean",
  download: "Download",
  "download.mode": "Download the {mode} text",
  "download.failed": "The download failed: {reason}",
  "conn.connecting": "Connecting…",
  "conn.connected": "Connected",
  "conn.disconnected": "Offline — edits are kept on this computer",
  "conn.synced": "Up to date",
  "role.delegation": "Delegation",
  "role.chair": "Chair",
  "role.secretariat": "Secretariat",
  "role.observer": "Observer",
  actingAs: "You are",
  onBehalfOf: "on behalf of {group}",
  speakingFor: "{party} on behalf of {group}",
  readOnly: "Read only",
  "speakingFor.label": "Speaking for",
  "speakingFor.none": "yourself",
  "speakingFor.badge": "speaking for {party}",
  noInvitation:
    "Open Parley from your invitation link. The link carries who you are; there is no other sign-in.",
  badInvitation: "This invitation link cannot be read: {reason}",
  refused:
    "The server refused a change ({rule}): {reason} Your local copy has been cleared and reloaded from the server.",
  dismiss: "Dismiss",
  closed:
    "The server does not accept this connection ({reason}): the invitation may have expired. Your edits are kept on this computer; ask the secretariat for a new link.",
  toolbar: "Negotiation actions",
  contextMenu: "Actions for the selection",
  panel: "Open brackets",
  "panel.total": "{n} open brackets",
  "panel.perParagraph": "By paragraph",
  "panel.filterParty": "Party",
  "panel.filterStatus": "Status",
  "panel.filterParagraph": "Paragraph",
  "panel.all": "All",
  "panel.empty": "No bracket matches.",
  "panel.unnumbered": "—",
  "panel.proposedBy": "Proposed by {parties}",
  "panel.noProposer": "Proposer not recorded",
  "status.open": "open",
  "status.lifted": "lifted",
  "status.dropped": "dropped",
  "status.withdrawn": "withdrawn",
  "kind.insertion": "insertion",
  "kind.deletion": "deletion",
  "kind.alternative": "alternative wording",
  "kind.text": "bracketed text",
  "stance.support": "support",
  "stance.oppose": "oppose",
  "stance.reserve": "reserve",
  "stance.accept": "OK",
  "stance.delete": "delete",
  "stance.retain": "retain",
  "stance.replace": "replace with “{text}”",
  "stance.comment": "“{text}”",
  "says.support": "supports",
  "says.oppose": "opposes",
  "says.reserve": "reserves its position",
  "says.accept": "accepts",
  "says.delete": "wants it deleted",
  "says.retain": "wants it retained",
  "says.replace": "proposes “{text}” instead",
  "says.comment": "comments “{text}”",
  "action.proposeInsertion": "Insert…",
  "action.proposeDeletion": "Delete",
  "action.proposeReplacement": "Replace…",
  "action.proposeAlternativeWording": "Alternative wording…",
  "action.support": "Support",
  "action.oppose": "Oppose",
  "action.reserve": "Reserve",
  "action.accept": "OK",
  "action.retain": "Wants retained",
  "action.delete": "Wants deleted",
  "action.replace": "Replace with…",
  "action.comment": "Comment…",
  "action.withdrawProposal": "Withdraw",
  "action.proposeChairAlternative": "Chair's text…",
  "action.adoptChairAlternative": "Adopt chair's text",
  "action.withdrawChairAlternative": "Withdraw chair's text",
  "action.liftBracket": "Lift bracket",
  "action.dropProposal": "Drop",
  "action.agreed": "Agreed",
  "action.adRef": "Agreed ad ref",
  "action.clearAgreement": "Back to negotiation",
  "action.undo": "Undo",
  "action.redo": "Redo",
  "group.propose": "Propose",
  "group.position": "Position",
  "group.decide": "Chair",
  "group.history": "History",
  more: "more",
  "prompt.insertion": "Words to insert",
  "prompt.replacement": "Replacement words",
  "prompt.alternative": "Alternative wording of the paragraph",
  "prompt.chairAlternative": "Chair's alternative text (one paragraph per line)",
  "prompt.replaceStance": "Replace with",
  "prompt.comment": "Comment",
  ok: "OK",
  cancel: "Cancel",
  replacing: "Chair's alternative text, replacing {labels}",
  replacingPara: "para {label}",
  replacingParas: "paras {labels}",
  adopted: "adopted",
  agreedBadge: "agreed",
  adRefBadge: "agreed ad ref",
  "announce.opened": "bracket opened by {parties}",
  "announce.position": "{party} {stance}",
  "announce.closed": "bracket {status}",
  "announce.unknownProposer": "bracket opened",
  listSeparator: ", ",
  positionSeparator: "; ",
};

type Key = keyof typeof en;

const zh: Record<Key, string> = {
  appName: "Parley 谈判文本",
  language: "语言",
  view: "视图",
  "view.annotated": "附注本",
  "view.unattributed": "无署名本",
  "view.clean": "清洁本",
  download: "下载",
  "download.mode": "下载{mode}",
  "download.failed": "下载失败：{reason}",
  "conn.connecting": "正在连接…",
  "conn.connected": "已连接",
  "conn.disconnected": "离线——修改保存在本机",
  "conn.synced": "已同步",
  "role.delegation": "代表团",
  "role.chair": "主席",
  "role.secretariat": "秘书处",
  "role.observer": "观察员",
  actingAs: "您的身份",
  onBehalfOf: "代表{group}",
  speakingFor: "{party}代表{group}",
  readOnly: "只读",
  "speakingFor.label": "代为发言",
  "speakingFor.none": "本人",
  "speakingFor.badge": "代{party}发言",
  noInvitation: "请通过邀请链接打开 Parley。链接载明您的身份，无需另行登录。",
  badInvitation: "无法读取此邀请链接：{reason}",
  refused: "服务器拒绝了一项修改（{rule}）：{reason}本地副本已清除，并已从服务器重新载入。",
  dismiss: "关闭",
  closed:
    "服务器不接受此连接（{reason}），邀请可能已过期。您的修改保存在本机；请向秘书处索取新的链接。",
  toolbar: "谈判操作",
  contextMenu: "所选内容的操作",
  panel: "未决方括号",
  "panel.total": "未决方括号 {n} 处",
  "panel.perParagraph": "按段落",
  "panel.filterParty": "当事方",
  "panel.filterStatus": "状态",
  "panel.filterParagraph": "段落",
  "panel.all": "全部",
  "panel.empty": "没有符合条件的方括号。",
  "panel.unnumbered": "—",
  "panel.proposedBy": "提案方：{parties}",
  "panel.noProposer": "提案方未记录",
  "status.open": "未决",
  "status.lifted": "已去除",
  "status.dropped": "已删去",
  "status.withdrawn": "已撤回",
  "kind.insertion": "增加",
  "kind.deletion": "删除",
  "kind.alternative": "替代措辞",
  "kind.text": "方括号案文",
  "stance.support": "支持",
  "stance.oppose": "不同意",
  "stance.reserve": "保留意见",
  "stance.accept": "OK",
  "stance.delete": "删除",
  "stance.retain": "保留",
  "stance.replace": "替换为“{text}”",
  "stance.comment": "“{text}”",
  "says.support": "支持",
  "says.oppose": "不同意",
  "says.reserve": "保留意见",
  "says.accept": "接受",
  "says.delete": "要求删除",
  "says.retain": "要求保留",
  "says.replace": "提议替换为“{text}”",
  "says.comment": "表示“{text}”",
  "action.proposeInsertion": "增加…",
  "action.proposeDeletion": "删除",
  "action.proposeReplacement": "替换…",
  "action.proposeAlternativeWording": "替代措辞…",
  "action.support": "支持",
  "action.oppose": "反对",
  "action.reserve": "保留意见",
  "action.accept": "OK",
  "action.retain": "要求保留",
  "action.delete": "要求删除",
  "action.replace": "替换为…",
  "action.comment": "意见…",
  "action.withdrawProposal": "撤回",
  "action.proposeChairAlternative": "主席案文…",
  "action.adoptChairAlternative": "采纳主席案文",
  "action.withdrawChairAlternative": "撤回主席案文",
  "action.liftBracket": "去除方括号",
  "action.dropProposal": "删去提案",
  "action.agreed": "商定",
  "action.adRef": "待确认商定",
  "action.clearAgreement": "恢复谈判",
  "action.undo": "撤销",
  "action.redo": "重做",
  "group.propose": "提议",
  "group.position": "立场",
  "group.decide": "主席",
  "group.history": "历史",
  more: "更多",
  "prompt.insertion": "拟增加的文字",
  "prompt.replacement": "替换文字",
  "prompt.alternative": "本段的替代措辞",
  "prompt.chairAlternative": "主席的替代案文（每行一段）",
  "prompt.replaceStance": "替换为",
  "prompt.comment": "意见",
  ok: "确定",
  cancel: "取消",
  replacing: "主席的替代案文，代替{labels}",
  replacingPara: "第 {label} 段",
  replacingParas: "第 {labels} 段",
  adopted: "已采纳",
  agreedBadge: "已商定",
  adRefBadge: "待确认商定",
  "announce.opened": "{parties}提出方括号",
  "announce.position": "{party}{stance}",
  "announce.closed": "方括号{status}",
  "announce.unknownProposer": "新方括号",
  listSeparator: "、",
  positionSeparator: "；",
};

const tables: Record<Lang, Record<Key, string>> = { en, zh };

/** A key of the message tables. */
export type MessageKey = Key;

/**
 * The message `key` in `lang` with `{name}` placeholders filled from `params`. A placeholder
 * without a value is left as written, so a missing parameter shows rather than vanishing.
 */
export function t(
  lang: Lang,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return tables[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A party's name in the interface language (see `partyName`). */
export function party(lang: Lang, name: string): string {
  return partyName(name, lang);
}

/** A proposer as drafts name it: "Algeria on behalf of African Group". */
export function proposerName(
  lang: Lang,
  ref: { party: string; onBehalfOf: string | null },
): string {
  const name = partyName(ref.party, lang);
  if (!ref.onBehalfOf) return name;
  return t(lang, "speakingFor", { party: name, group: partyName(ref.onBehalfOf, lang) });
}

/** Several party names joined as the language joins a list. */
export function partyList(lang: Lang, names: readonly string[]): string {
  return names.map((name) => partyName(name, lang)).join(t(lang, "listSeparator"));
}

/** A role's name in `lang`. */
export function roleName(lang: Lang, role: Role): string {
  return t(lang, `role.${role}`);
}

/** A bracket status in `lang`. */
export function statusName(lang: Lang, status: BracketStatus): string {
  return t(lang, `status.${status}`);
}

/** A bracket kind in `lang`. */
export function kindName(lang: Lang, kind: BracketKind): string {
  return t(lang, `kind.${kind}`);
}

/** A stance as an annotation writes it after "Party: " ("delete", "replace with “x”"). */
export function stanceText(lang: Lang, stance: Stance, text: string | null): string {
  return t(lang, `stance.${stance}`, { text: text ?? "" });
}

/** A stance as a sentence says it after the party's name ("supports", "opposes"). */
export function stanceVerb(lang: Lang, stance: Stance, text: string | null): string {
  return t(lang, `says.${stance}`, { text: text ?? "" });
}

/**
 * The language to start in: the one saved from the last visit, else the browser's if it is
 * Chinese, else English.
 */
export function initialLang(saved: string | null, browser: string): Lang {
  if (saved === "en" || saved === "zh") return saved;
  return browser.toLowerCase().startsWith("zh") ? "zh" : "en";
}
