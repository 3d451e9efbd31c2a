// Bundled into a Worker and run by workerd (see run-workerd.mjs): the @org/entra-hono suite.
import { worker } from '../lib/worker.mjs';
import honoSuite from '../suites/hono.mjs';

export default worker('hono', honoSuite);
