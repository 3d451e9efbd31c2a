// Bundled into a Worker and run by workerd (see run-workerd.mjs): the @org/entra-fetch suite.
import { worker } from '../lib/worker.mjs';
import fetchSuite from '../suites/fetch.mjs';

export default worker('fetch', fetchSuite);
