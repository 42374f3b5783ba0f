// `npm start`: placeholder until the sync server lands (issue 3). It proves the model loads
// by reading the demo draft's size, and says what is coming.
import { readFileSync } from "node:fs";

const draft = readFileSync(new URL("../fixtures/field-office-tor.zh.txt", import.meta.url), "utf8");
console.log(`Parley: demo draft loaded (${draft.split("\n").length} lines).`);
console.log("The sync server is not built yet; run `npx parley inspect FILE` to read a draft.");
