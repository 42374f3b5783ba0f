import { App } from "./app.ts";
import { initialLang, t } from "./i18n.ts";
import { readInvitation } from "./invitation.ts";

// Boot: read the invitation from the address bar and start the app, or explain how to get
// in. The token stays in the address so that a reload reopens the same negotiation.

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new RangeError(`index.html has no #${id}`);
  return found;
}

const lang = initialLang(localStorage.getItem("parley.lang"), navigator.language);
document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
const result = readInvitation(window.location.href);
if (result.ok) {
  const app = new App(
    result.invitation,
    {
      identity: element("identity"),
      connection: element("connection"),
      controls: element("controls"),
      toolbar: element("toolbar"),
      speaker: element("speaker"),
      editor: element("editor"),
      meta: element("doc-meta"),
      panel: element("panel"),
      notice: element("notice"),
      live: element("live"),
    },
    lang,
  );
  (window as unknown as { parley: App }).parley = app;
} else {
  const message = element("notice");
  message.hidden = false;
  message.textContent =
    result.reason === "missing"
      ? t(lang, "noInvitation")
      : t(lang, "badInvitation", { reason: result.detail });
  document.body.classList.add("no-session");
}
