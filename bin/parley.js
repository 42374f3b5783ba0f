#!/usr/bin/env node
// The `parley` command. The CLI is TypeScript run through tsx, as the rest of the project
// is: register its loader, then hand over to cli/main.ts.
import { register } from "tsx/esm/api";

register();
const { main } = await import(new URL("../cli/main.ts", import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
