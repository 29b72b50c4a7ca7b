// A throwaway npm registry (verdaccio) on loopback, for the release test.
// Everything it writes (config, storage, users, log) lives in the folder it is
// given; the caller must call stop(), which is also wired to process exit.
import { spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

/**
 * One HTTP request with its own connection (no keep-alive pool that could hand
 * out a socket the server already closed); resolves to status and parsed JSON.
 */
export function httpJson(method, url, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(url, { method, agent: false, headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = { raw: text };
        }
        resolve({ status: res.statusCode, ok: res.statusCode >= 200 && res.statusCode < 300, json });
      });
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${url}: no answer within 60 s`)));
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * The verdaccio config: our scope is local only (no uplink, so a name that
 * exists on npmjs can never shadow what we publish); everything else is proxied
 * to `uplink` so @tensorflow/tfjs and its dependencies install.
 */
function config(uplink) {
  return `storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
uplinks:
  npmjs:
    url: ${uplink}
    timeout: 60s
    maxage: 60m
packages:
  '@resnet/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
web:
  enable: false
# JWT tokens: the legacy token makes verdaccio check the password with bcrypt on
# every request (about a second each on a busy 2-core machine).
security:
  api:
    jwt:
      sign:
        expiresIn: 2h
server:
  keepAliveTimeout: 60
max_body_size: 200mb
log:
  type: stdout
  format: pretty
  level: warn
`;
}

async function waitUntilUp(url, child, log, ms = 30_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with code ${child.exitCode} before answering; see ${log}`);
    try {
      const r = await httpJson('GET', `${url}/-/ping`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`verdaccio did not answer ${url}/-/ping within ${ms / 1000} s; see ${log}`);
}

/** Creates a user through the registry's own API (what `npm adduser` does) and returns its token. */
async function addUser(url) {
  const name = 'release-test';
  const res = await httpJson('PUT', `${url}/-/user/org.couchdb.user:${name}`, {
    name,
    password: `pw-${process.pid}-${Date.now()}`,
    type: 'user',
    roles: [],
    date: new Date().toISOString(),
  });
  if (!res.ok || !res.json.token) throw new Error(`verdaccio refused to create user '${name}': HTTP ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.token;
}

/**
 * Starts verdaccio in `dir` on a loopback port the OS picks.
 * @param {{ dir: string, uplink: string }} opts
 * @returns {Promise<{ url: string, token: string, log: string, pid: number, stop: () => Promise<void> }>}
 */
export async function startRegistry({ dir, uplink }) {
  const cfg = join(dir, 'config.yaml');
  const log = join(dir, 'verdaccio.log');
  writeFileSync(cfg, config(uplink));
  writeFileSync(join(dir, 'htpasswd'), '');

  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(process.execPath, [join(import.meta.dirname, 'verdaccio-server.mjs'), cfg], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  child.stderr.pipe(out);
  const killNow = () => child.exitCode === null && child.kill('SIGKILL');
  process.on('exit', killNow);
  const stop = async () => {
    process.off('exit', killNow);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
    out.end();
  };
  try {
    const port = await new Promise((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`verdaccio did not start within 60 s; see ${log}`)), 60_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`verdaccio exited with code ${code} before listening; see ${log}`));
      });
      child.stdout.on('data', (d) => {
        buf += d;
        const m = /\{"port":(\d+)\}/.exec(buf);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    child.stdout.pipe(out);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilUp(url, child, log);
    const token = await addUser(url);
    return { url, token, log, stop, pid: child.pid };
  } catch (err) {
    await stop();
    throw err;
  }
}
