// Run by Node 20/22/24, Bun and Deno: the @org/entra-hono suite.
import { main } from '../lib/main.mjs';
import honoSuite from '../suites/hono.mjs';

await main('hono', honoSuite);
