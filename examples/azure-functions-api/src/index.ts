/**
 * The Functions entry point (package.json "main"): what `func start` and Azure load. It registers the
 * Orders API's functions with `@azure/functions`' `app`, for the tenant in the app settings, or, with
 * none set (a first `func start`), for the local Entra look-alike, whose tokens it prints.
 */
import { app } from '@azure/functions';
import { loadConfig } from './config.js';
import { registerOrdersApi } from './functions.js';
import { tryItLines } from './local-entra.js';

const { config, local, description } = await loadConfig();
const { validator } = registerOrdersApi(app, config);

// Fetch Entra's keys when the worker starts rather than on the first request; if Entra cannot be
// reached yet, the first request tries again.
app.hook.appStart(() => validator.warmUp().catch(() => undefined));
app.hook.appTerminate(async () => {
  validator.close();
  await local?.close();
});

if (local) console.log(`\n${tryItLines(local, 'http://localhost:7071').join('\n')}\n`);
else console.log(description);
