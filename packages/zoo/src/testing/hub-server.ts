/**
 * A local HTTP server on 127.0.0.1 that behaves like the Hugging Face Hub for
 * the zoo's download tests (and the browser consumer test): `resolve` URLs of
 * LFS files answer 302 to a CDN path with `X-Linked-Etag` (the SHA-256),
 * `X-Linked-Size`, `X-Repo-Commit` and `ETag`; the CDN answers 200 with
 * `Content-Length`; `/api/models/<repo>/tree/<rev>` lists the files with
 * `lfs.oid`, as the Hub's tree API does. Behaviours a test needs (cut the body
 * off halfway, serve other bytes than announced, hold a response) are switches.
 * Plain files can be served too (`plain`), with no integrity headers at all.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One file of a repository on the fake Hub. */
interface HubFileSpec {
  repo: string;
  path: string;
  bytes: Uint8Array;
}

/** What a test can switch on the fake Hub. */
interface HubBehaviour {
  /** Send half of the body, then drop the connection. */
  cutOff?: boolean;
  /** Serve these bytes from the CDN instead of the file's (its headers still announce the file's SHA-256). */
  corruptWith?: Uint8Array;
  /** Wait this many ms before the CDN answers (to overlap concurrent requests). */
  delayMs?: number;
  /** The next CDN requests answer these HTTP statuses (one each, then the file). */
  failStatus?: number[];
  /** The next this-many CDN requests stall: accept and never answer (`'headers'`), or send the headers and 1 KiB, then nothing (`'body'`). */
  stall?: { times: number; at: 'headers' | 'body' };
  /** Like `cutOff`, for the next this-many CDN requests only. */
  cutOffTimes?: number;
  /** Ignore `Range` requests (answer 200 with the whole file), as some servers do. */
  noRange?: boolean;
}

/** A running fake Hub. */
export interface FakeHub {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** The `resolve` URL of a file. */
  url(repo: string, path: string, revision?: string): string;
  /** SHA-256 (hex) of a served file. */
  sha256(repo: string, path: string): string;
  /** Requests received, by path (query stripped). */
  requests: Map<string, number>;
  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number;
  /** Switches for later requests. */
  behaviour: HubBehaviour;
  /** The commit every revision resolves to. */
  commit: string;
  close(): Promise<void>;
}

const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Starts a fake Hub serving `files` (LFS-style) and `plain` files (path → bytes, no headers beyond Content-Length). */
export async function startFakeHub(files: HubFileSpec[], plain: Record<string, Uint8Array> = {}): Promise<FakeHub> {
  const byKey = new Map(files.map((f) => [`${f.repo}/${f.path}`, { ...f, sha: hex(f.bytes) }]));
  const bySha = new Map([...byKey.values()].map((f) => [f.sha, f]));
  const requests = new Map<string, number>();
  const behaviour: HubBehaviour = {};
  const commit = 'c0ffee'.padEnd(40, '0');
  const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-linked-etag, x-linked-size, x-repo-commit, etag, content-length, content-range' };

  async function sendBody(res: ServerResponse, body: Uint8Array, headers: Record<string, string>, req?: IncomingMessage): Promise<void> {
    const range = /^bytes=(\d+)-$/.exec(req?.headers.range ?? '');
    const from = range && !behaviour.noRange ? Number(range[1]) : null;
    if (from !== null && from < body.byteLength) {
      res.writeHead(206, { ...cors, 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength - from), 'content-range': `bytes ${from}-${body.byteLength - 1}/${body.byteLength}`, ...headers });
      body = body.subarray(from);
    } else {
      res.writeHead(200, { ...cors, 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength), 'accept-ranges': 'bytes', ...headers });
    }
    if (behaviour.stall && behaviour.stall.at === 'body' && behaviour.stall.times > 0) {
      behaviour.stall.times--;
      res.write(body.subarray(0, 1024));
      return; // and nothing more; close() ends the connection
    }
    if (behaviour.cutOffTimes) {
      behaviour.cutOffTimes--;
      res.write(body.subarray(0, body.byteLength >> 1));
      await new Promise((r) => setTimeout(r, 20));
      res.socket?.destroy();
      return;
    }
    if (behaviour.cutOff) {
      res.write(body.subarray(0, body.byteLength >> 1));
      await new Promise((r) => setTimeout(r, 20));
      res.socket?.destroy();
      return;
    }
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.set(u.pathname, (requests.get(u.pathname) ?? 0) + 1);
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(u.pathname);
    const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(u.pathname);
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(u.pathname);
    if (resolve) {
      const f = byKey.get(`${resolve[1]}/${decodeURIComponent(resolve[3]!)}`);
      if (!f) return void res.writeHead(404, { ...cors, 'x-error-code': 'EntryNotFound' }).end('Entry not found');
      res.writeHead(302, {
        ...cors,
        location: `${origin}/cdn/${f.sha}?response-content-disposition=attachment`,
        'x-linked-etag': `"${f.sha}"`,
        'x-linked-size': String(f.bytes.byteLength),
        'x-repo-commit': commit,
        etag: `"${f.sha}"`,
      });
      return void res.end();
    }
    if (cdn) {
      const f = bySha.get(cdn[1]!);
      if (!f) return void res.writeHead(404, cors).end();
      if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
      const status = behaviour.failStatus?.shift();
      if (status) return void res.writeHead(status, { ...cors, 'retry-after': '0' }).end(`HTTP ${status}`);
      if (behaviour.stall && behaviour.stall.at === 'headers' && behaviour.stall.times > 0) {
        behaviour.stall.times--;
        return; // accept the request and never answer
      }
      return sendBody(res, behaviour.corruptWith ?? f.bytes, { etag: `"${f.sha}"` }, req);
    }
    if (tree) {
      const listing = [...byKey.values()]
        .filter((f) => f.repo === tree[1])
        .map((f) => ({ type: 'file', path: f.path, size: f.bytes.byteLength, oid: 'b'.repeat(40), lfs: { oid: f.sha, size: f.bytes.byteLength, pointerSize: 134 } }));
      return void res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(listing));
    }
    const p = plain[u.pathname];
    if (p) return sendBody(res, behaviour.corruptWith ?? p, {});
    res.writeHead(404, cors).end('not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (repo, path, revision = 'main') => `${origin}/${repo}/resolve/${revision}/${path}`,
    sha256: (repo, path) => byKey.get(`${repo}/${path}`)!.sha,
    requests,
    count: (prefix) => [...requests.entries()].filter(([k]) => k.startsWith(prefix)).reduce((a, [, n]) => a + n, 0),
    behaviour,
    commit,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
