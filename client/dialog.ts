import { type Lang, type MessageKey, t } from "./i18n.ts";

// A small modal that asks for words (the text of an insertion, a replacement, a chair's
// text). It is a native <dialog>, so focus is trapped and Escape cancels without our help,
// and it returns focus to where it was, which keeps the editor keyboard-operable.

/**
 * Ask the user for text. Resolves with the text (trimmed; multi-line keeps its lines), or
 * null when cancelled or left empty.
 */
export function askText(
  lang: Lang,
  prompt: MessageKey,
  multiline: boolean,
): Promise<string | null> {
  const previous = document.activeElement as HTMLElement | null;
  const dialog = document.createElement("dialog");
  dialog.className = "ask";
  const form = document.createElement("form");
  form.method = "dialog";
  const label = document.createElement("label");
  label.textContent = t(lang, prompt);
  const field = multiline ? document.createElement("textarea") : document.createElement("input");
  field.name = "text";
  field.className = "ask-field";
  if (field instanceof HTMLTextAreaElement) field.rows = 5;
  label.append(field);
  const buttons = document.createElement("div");
  buttons.className = "ask-buttons";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.value = "cancel";
  cancel.className = "ask-button";
  cancel.textContent = t(lang, "cancel");
  const ok = document.createElement("button");
  ok.type = "submit";
  ok.value = "ok";
  ok.className = "ask-button primary";
  ok.textContent = t(lang, "ok");
  buttons.append(cancel, ok);
  form.append(label, buttons);
  dialog.append(form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer: string | null = null;
    cancel.addEventListener("click", () => dialog.close());
    form.addEventListener("submit", () => {
      const text = field.value.trim();
      answer = text === "" ? null : text;
    });
    if (field instanceof HTMLTextAreaElement) {
      // Ctrl/Cmd+Enter submits a multi-line answer; plain Enter makes a new paragraph.
      field.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
      });
    }
    dialog.addEventListener("close", () => {
      dialog.remove();
      previous?.focus();
      resolve(answer);
    });
    dialog.showModal();
    field.focus();
  });
}
