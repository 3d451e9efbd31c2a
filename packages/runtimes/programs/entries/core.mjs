// Run by Node 20/22/24, Bun and Deno: the core suite.
import { main } from '../lib/main.mjs';
import core from '../suites/core.mjs';

await main('core', core);
