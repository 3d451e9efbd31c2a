// Bundled into a Worker and run by workerd (see run-workerd.mjs): the core suite.
import { worker } from '../lib/worker.mjs';
import core from '../suites/core.mjs';

export default worker('core', core);
