import { findParty, parties } from "../schema/parties.ts";
import { type Lang, party, t } from "./i18n.ts";

// The chair and the secretariat record what delegations say from the floor: a position, a
// proposal, words typed in. They choose here whom they speak for; the commands then record
// it in that delegation's name, entered by them. Empty means they act for themselves
// (editorial work, the chair's own texts and decisions).

let listCounter = 0;

/**
 * Fill `host` with the "speaking for" field. `onChange` receives the English key of the
 * party chosen (names and aliases in either language are understood), the name as typed
 * when the roster does not know it, or null when the field is emptied.
 */
export function renderSpeaker(
  host: HTMLElement,
  lang: Lang,
  current: string | null,
  onChange: (party: string | null) => void,
): void {
  host.replaceChildren();
  const label = document.createElement("label");
  label.className = "speaker-label";
  label.textContent = t(lang, "speakingFor.label");
  const input = document.createElement("input");
  input.type = "text";
  input.className = "speaker-input";
  input.placeholder = t(lang, "speakingFor.none");
  input.value = current ? party(lang, current) : "";
  input.autocomplete = "off";
  listCounter += 1;
  const list = document.createElement("datalist");
  list.id = `speaker-parties-${listCounter}`;
  input.setAttribute("list", list.id);
  for (const info of parties) {
    if (info.kind === "organ") continue;
    const option = document.createElement("option");
    option.value = lang === "zh" ? info.zh : info.en;
    list.append(option);
  }
  const commit = (): void => {
    const typed = input.value.trim();
    if (!typed) {
      onChange(null);
      return;
    }
    const known = findParty(typed);
    onChange(known ? known.en : typed);
    if (known) input.value = party(lang, known.en);
  };
  input.addEventListener("change", commit);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      commit();
    }
  });
  label.append(input, list);
  host.append(label);
}
