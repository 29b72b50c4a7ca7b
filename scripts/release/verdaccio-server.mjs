// Runs verdaccio through its programmatic API, in its own process so the
// release test can always kill it. Its CLI refuses Node 20 (verdaccio 6.10 asks
// for Node 22 in a start-up check), but the server itself runs on Node 20, which
// is what this project supports. Listens on 127.0.0.1 on a port the OS picks and
// prints `{"port": N}` on stdout once it accepts connections.
import { runServer } from 'verdaccio';

const configPath = process.argv[2];
if (!configPath) {
  console.error('usage: node verdaccio-server.mjs <config.yaml>');
  process.exit(2);
}
const server = await runServer(configPath);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)) && setTimeout(() => process.exit(0), 2000).unref());
