/** True under Node (Dawn, worker_threads and libtensorflow live there); false in browsers and their workers. */
export const isNode = typeof process !== 'undefined' && process.versions?.node != null;
