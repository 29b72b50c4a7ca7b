// A caller's program, run in a child process by the tests of what selecting a
// backend leaves behind (patches/process-handlers.test.ts, webgpu/quiet-probe.test.ts):
//   tsx caller-program.fixture.ts <backend | none> <throw | reject | none>
// selects the backend (none: imports nothing of ours), prints its BackendInfo
// on stdout, then fails the way a caller's program does (or ends). The failure
// comes from the same line either way, so that the control run's stderr is the reference.
export {}; // a module, for the top-level await

const [backend = 'none', failure = 'throw'] = process.argv.slice(2);

if (backend !== 'none') {
  const { selectBackend } = await import('./index.js');
  const info = await selectBackend(backend);
  console.log(JSON.stringify(info));
}
if (failure !== 'none') setTimeout(() => {
  const err = new Error(`the caller's own ${failure}`);
  if (failure === 'reject') void Promise.reject(err);
  else throw err;
}, 0);
