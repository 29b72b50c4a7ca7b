#!/usr/bin/env node
// The release, end to end, against a real npm registry on loopback:
//   1. copy the working tree to a temp folder (a one-commit git repo) and install it;
//   2. start verdaccio there (our scope local only, everything else proxied to npm);
//   3. publish every package with the project's own `pnpm release`;
//   4. in a fresh folder, `npm install` the packages and @tensorflow/tfjs from that
//      registry and run a smoke script (ResNet-50 params + predict, ResNet-20 training on wasm);
//   5. a changeset (minor, @resnet/blocks) → `pnpm version-packages` → check versions,
//      CHANGELOGs, ranges → publish again and check what the registry serves.
// Nothing is written outside the temp folder (npm's cache and user config point
// into it); the registry is stopped and the folder removed on success, failure
// and Ctrl-C. KEEP_RELEASE_TMP=1 keeps the folder for debugging.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publishedRange, readWorkspace, versionAndCheck } from './release/changeset-bump.mjs';
import { httpJson, startRegistry } from './release/registry.mjs';
import { copyWorkspace, killRunning, run, runSync } from './release/workspace.mjs';
import { exitOnHelp } from './lib/usage.mjs';

exitOnHelp(`usage: pnpm test:release   (node scripts/release-test.mjs)

Publishes the workspace to a local verdaccio registry in a temp folder, installs it with npm
and runs a smoke test, then versions and publishes a changeset. KEEP_RELEASE_TMP=1 keeps the folder.`);

const root = resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'resnet-release-'));
const dirs = Object.fromEntries(['registry', 'repo', 'consumer', 'npm-cache'].map((d) => [d, join(tmp, d)]));
for (const d of Object.values(dirs)) mkdirSync(d);

const t0 = Date.now();
const since = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
const results = [];
let registry;

async function cleanup() {
  killRunning();
  await registry?.stop();
  if (process.env.KEEP_RELEASE_TMP === '1') console.log(`release: kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => cleanup().finally(() => process.exit(130)));
}

async function stage(name, fn) {
  const t = Date.now();
  console.log(`\n--- release: ${name}`);
  try {
    await fn();
    results.push({ name, ok: true, time: since(t) });
    return true;
  } catch (err) {
    console.error(`FAIL ${name}: ${err.stack ?? err}`);
    results.push({ name, ok: false, time: since(t) });
    return false;
  }
}

/** The registry's view of a package (its packument). */
async function packument(name) {
  const res = await httpJson('GET', `${registry.url}/${name.replace('/', '%2f')}`);
  if (!res.ok) throw new Error(`registry has no ${name}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** Every public package is on the registry at its version, with workspace ranges turned into real ones. */
async function checkPublished(pkgs, versions) {
  for (const p of pkgs) {
    const doc = await packument(p.json.name);
    const version = versions.get(p.json.name);
    const m = doc.versions[version];
    assert.ok(m, `${p.json.name}@${version} is not on the registry (it has ${Object.keys(doc.versions).join(', ')})`);
    assert.equal(doc['dist-tags'].latest, version, `${p.json.name}: dist-tag latest`);
    for (const [dep, range] of Object.entries(p.json.dependencies ?? {})) {
      if (!range.startsWith('workspace:')) continue;
      const want = publishedRange(range, versions.get(dep));
      assert.equal(m.dependencies[dep], want, `${p.json.name}@${version}: published range of ${dep}`);
    }
    assert.ok(!JSON.stringify(m).includes('workspace:'), `${p.json.name}@${version}: published manifest still contains 'workspace:'`);
    console.log(`  ${p.json.name}@${version} on the registry; deps ${JSON.stringify(m.dependencies ?? {})}`);
  }
}

let env;
let publicPkgs;
try {
  // The uplink is whatever registry this machine's npm uses (npmjs by default).
  const uplink = runSync('npm', ['config', 'get', 'registry']).trim() || 'https://registry.npmjs.org/';
  const starting = startRegistry({ dir: dirs.registry, uplink });
  starting.catch(() => {}); // awaited below; a rejection must not crash the process first

  const copied = await stage('copy the working tree and install', async () => {
    const { files, installSeconds } = await copyWorkspace(root, dirs.repo);
    console.log(`  ${files} files copied to ${dirs.repo}; pnpm install ${installSeconds.toFixed(1)} s`);
  });
  registry = await starting;
  const host = new URL(registry.url).host;
  console.log(`  verdaccio on ${registry.url} (pid ${registry.pid}), uplink ${uplink}`);

  // Registry and token for both npm (changesets calls `npm info`) and pnpm
  // (`pnpm publish`), in temp files: the user's ~/.npmrc is never written.
  const npmrc = `registry=${registry.url}/\n//${host}/:_authToken=${registry.token}\n`;
  const userconfig = join(tmp, 'npmrc');
  writeFileSync(userconfig, npmrc);
  writeFileSync(join(dirs.repo, '.npmrc'), npmrc);
  writeFileSync(join(dirs.consumer, '.npmrc'), `registry=${registry.url}/\n`);
  env = {
    ...process.env,
    npm_config_registry: `${registry.url}/`,
    npm_config_userconfig: userconfig,
    npm_config_cache: dirs['npm-cache'],
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // changeset publish makes annotated git tags in the copy: they need an identity
    GIT_AUTHOR_NAME: 'release-test',
    GIT_AUTHOR_EMAIL: 'release-test@localhost',
    GIT_COMMITTER_NAME: 'release-test',
    GIT_COMMITTER_EMAIL: 'release-test@localhost',
    TURBO_TELEMETRY_DISABLED: '1',
    TURBO_DAEMON: 'false',
    DO_NOT_TRACK: '1',
  };
  publicPkgs = readWorkspace(dirs.repo).filter((p) => !p.json.private);
  const versions0 = new Map(publicPkgs.map((p) => [p.json.name, p.json.version]));

  const published =
    copied &&
    (await stage('pnpm release (turbo build + changeset publish)', async () => {
      const out = await run('pnpm', ['release'], { cwd: dirs.repo, env });
      console.log(out.split('\n').filter((l) => /publish|success|error/i.test(l)).map((l) => `  ${l.trim()}`).join('\n'));
      await checkPublished(publicPkgs, versions0);
      const tags = runSync('git', ['tag', '--list'], { cwd: dirs.repo, env }).trim().split('\n');
      for (const [name, v] of versions0) assert.ok(tags.includes(`${name}@${v}`), `no git tag ${name}@${v} after publish (tags: ${tags.join(', ')})`);
    }));

  if (published) {
    // Two pairs of independent steps run side by side to keep the test short:
    // the consumer install (network) with `changeset version` (local files), then
    // the smoke script (CPU) with the second publish (the consumer tree is
    // installed by then, so the new versions cannot leak into it).
    const installing = stage('npm install from the registry', async () => {
      const tfjs = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies['@tensorflow/tfjs'];
      writeFileSync(join(dirs.consumer, 'package.json'), JSON.stringify({ name: 'release-consumer', private: true, type: 'module' }, null, 2));
      const specs = [...publicPkgs.map((p) => `${p.json.name}@${versions0.get(p.json.name)}`), `@tensorflow/tfjs@${tfjs}`];
      await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dirs.consumer, env });
      console.log(`  npm install ${specs.join(' ')}`);
      // one tfjs-core in the tree, or layer registration and instanceof checks break
      const ls = await run('npm', ['ls', '@tensorflow/tfjs-core', '--all', '--parseable'], { cwd: dirs.consumer, env });
      const copies = new Set(ls.trim().split('\n').filter(Boolean));
      assert.equal(copies.size, 1, `expected one @tensorflow/tfjs-core, found:\n${[...copies].join('\n')}`);
    });
    let bumped;
    const versioning = stage('changeset (minor @resnet/blocks) → pnpm version-packages → CHANGELOG and range checks', async () => {
      bumped = await versionAndCheck(dirs.repo, (cmd, args, o) => run(cmd, args, { ...o, env }));
      console.log(`  plan: ${[...bumped.plan].map(([n, t]) => `${n} ${t} → ${bumped.newVersion.get(n)}`).join(', ')}`);
    });
    const [installed, versioned] = await Promise.all([installing, versioning]);

    await Promise.all([
      installed &&
        stage('smoke script: ResNet-50 params + predict, ResNet-20 3 training steps on wasm', async () => {
          copyFileSync(join(import.meta.dirname, 'release', 'consumer-smoke.mjs'), join(dirs.consumer, 'smoke.mjs'));
          await run('node', ['smoke.mjs'], { cwd: dirs.consumer, env, quiet: false });
        }),
      versioned &&
        stage('publish the bumped versions + registry checks', async () => {
          // dist is built already and holds no version string: publish without rebuilding
          await run('pnpm', ['changeset', 'publish'], { cwd: dirs.repo, env });
          await checkPublished(publicPkgs, new Map([...versions0, ...bumped.newVersion]));
          for (const [name, v] of versions0) {
            if (bumped.plan.has(name)) continue;
            const doc = await packument(name);
            assert.deepEqual(Object.keys(doc.versions), [v], `${name} was not bumped but the registry has versions ${Object.keys(doc.versions)}`);
          }
        }),
    ]);
  }
} catch (err) {
  console.error(`FAIL release test set-up: ${err.stack ?? err}`);
  results.push({ name: 'set-up', ok: false, time: since(t0) });
} finally {
  await cleanup();
}

console.log('\n--- release: summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.time})`);
const failed = results.filter((r) => !r.ok).length;
console.log(`release test ${failed ? 'FAILED' : 'passed'} in ${since(t0)}`);
process.exit(failed ? 1 : 0);
