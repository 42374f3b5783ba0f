import { ruleNames } from "../server/permissions/rules.ts";
import type { Lang } from "./i18n.ts";

// The server closes a refused connection with the short name of the rule (close reasons
// are limited to 123 bytes); the user is told what the rule means. The English sentences
// are the server's own list, so the two cannot drift; the Chinese ones follow it.

const zh: Record<string, string> = {
  "update-too-large": "修改超出服务器接受的大小。",
  "update-malformed": "修改无法解码或应用。",
  "update-incomplete": "修改依赖服务器尚未收到的更改。",
  "client-id-bound": "修改使用了绑定于另一参与方的客户端标识。",
  "unknown-type": "修改写入了草案文档和登记表以外的内容。",
  "content-malformed": "修改写入了草案不应包含的内容。",
  "observer-read-only": "观察员不得修改草案。",
  "registry-malformed": "登记表中的值格式不正确。",
  "mark-without-entry": "为文字加了标记，但登记表中没有相应条目。",
  "text-outside-own-bracket": "代表团在本方未决提案之外添加了文字。",
  "text-without-own-attribution": "代表团添加的文字未署本方名称。",
  "delete-outside-own-proposal": "代表团删除了不属于本方未决提案的文字。",
  "mark-forbidden": "代表团添加或去除了无权处理的标记。",
  "block-forbidden": "代表团添加、删除或更改了本方替代措辞以外的段落。",
  "proposal-in-other-name": "方括号或署名并非以发送方名义提出。",
  "position-in-other-name": "立场并非发送方本方的立场。",
  "bracket-status": "发送方无权作此方括号状态更改（去除、删去、重新打开）。",
  "registry-immutable": "登记条目中不可更改的内容被更改、替换或删除。",
  "chair-alternative-chair-only": "只有主席可以撰写、采纳或撤回主席的替代案文。",
  "agreement-forbidden": "只有主席和秘书处可以将段落标为商定或待确认商定。",
  "comment-in-other-name": "代表团写入或删除了他方的意见。",
  "meta-forbidden": "只有主席和秘书处可以更改草案的元数据。",
};

/**
 * The sentence for a refusal rule in `lang`. An unknown rule (a newer server) is shown by
 * its name, which is still better than saying nothing.
 */
export function ruleSentence(lang: Lang, rule: string): string {
  if (lang === "zh" && zh[rule]) return zh[rule];
  const english = (ruleNames as Record<string, string>)[rule];
  return english ?? rule;
}
