// Run by Node 20/22/24, Bun and Deno: the @org/entra-fetch suite.
import { main } from '../lib/main.mjs';
import fetchSuite from '../suites/fetch.mjs';

await main('fetch', fetchSuite);
