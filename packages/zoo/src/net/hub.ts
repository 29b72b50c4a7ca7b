/**
 * What the zoo knows of the Hugging Face Hub's file protocol (as huggingface_hub
 * uses it): `https://huggingface.co/<org>/<repo>/resolve/<revision>/<path>`
 * answers an LFS file with a 302 to its CDN whose headers carry the file's
 * SHA-256 (`X-Linked-Etag`, or `ETag`), its size (`X-Linked-Size`) and the
 * commit the revision resolved to (`X-Repo-Commit`). Browsers hide a redirect's
 * headers (`redirect: 'manual'` gives an opaque response), so there the SHA-256
 * comes from the Hub's tree API (`/api/models/<org>/<repo>/tree/<revision>`,
 * whose entries carry `lfs.oid`), as in huggingface_hub's `list_repo_tree`.
 */

/** The parts of a Hub `resolve` URL. */
interface HubFile {
  /** Scheme and host, e.g. `https://huggingface.co`. */
  origin: string;
  /** `<org>/<repo>`. */
  repo: string;
  /** Branch, tag or commit. */
  revision: string;
  /** File path inside the repository (decoded). */
  path: string;
}

const RESOLVE = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/;

/** The Hub parts of a `…/<org>/<repo>/resolve/<revision>/<path>` URL, or null for any other URL. */
export function parseHubUrl(url: string): HubFile | null {
  const u = new URL(url);
  const m = RESOLVE.exec(u.pathname);
  if (!m) return null;
  return { origin: u.origin, repo: m[1]!, revision: decodeURIComponent(m[2]!), path: decodeURIComponent(m[3]!) };
}

/** `url` with its Hub revision replaced by `revision`; the error says when `url` is not a Hub file. */
export function withRevision(url: string, revision: string | null | undefined): string {
  if (revision == null) return url;
  if (!parseHubUrl(url)) throw new Error(`revision '${revision}' applies to Hugging Face Hub URLs (…/resolve/<revision>/…), not to '${url}'`);
  const u = new URL(url);
  u.pathname = u.pathname.replace(RESOLVE, (_, repo: string, _old: string, rest: string) => `/${repo}/resolve/${encodeURIComponent(revision)}/${rest}`);
  return u.href;
}

/** A SHA-256 given as an HTTP entity tag (`"<64 hex>"`, maybe weak), or null. */
export function etagSha256(value: string | null | undefined): string | null {
  const v = value?.trim().replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
  return v && /^[0-9a-f]{64}$/.test(v) ? v : null;
}

/** The tree API URL listing the folder of a Hub file. */
export function treeApiUrl(hub: HubFile): string {
  const dir = hub.path.includes('/') ? `/${hub.path.slice(0, hub.path.lastIndexOf('/')).split('/').map(encodeURIComponent).join('/')}` : '';
  return `${hub.origin}/api/models/${hub.repo}/tree/${encodeURIComponent(hub.revision)}${dir}`;
}

/** The LFS SHA-256 of `hub.path` in a tree API listing, or null. */
export function shaFromTree(listing: unknown, hub: HubFile): string | null {
  if (!Array.isArray(listing)) return null;
  const entry = listing.find((e) => e && typeof e === 'object' && (e as { path?: unknown }).path === hub.path) as
    | { lfs?: { oid?: unknown } }
    | undefined;
  const oid = entry?.lfs?.oid;
  return typeof oid === 'string' && /^[0-9a-f]{64}$/i.test(oid) ? oid.toLowerCase() : null;
}
