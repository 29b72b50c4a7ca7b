// The changesets flow on a throwaway state of the repo: a minor changeset for
// @resnet/blocks (on top of whatever changesets the repo has pending),
// `pnpm version-packages`, then checks on versions, CHANGELOGs and internal
// dependency ranges, computed from the changesets and the dependency graph.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BUMPED = '@resnet/blocks';
const SUMMARY = 'Release test: a minor change to the blocks.';

/** `x.y.z` → bumped; our packages carry no prerelease tags. */
export function bump(version, type) {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new Error(`cannot bump version '${version}': expected x.y.z`);
  const [maj, min, pat] = m.slice(1).map(Number);
  if (type === 'major') return `${maj + 1}.0.0`;
  if (type === 'minor') return `${maj}.${min + 1}.0`;
  if (type === 'patch') return `${maj}.${min}.${pat + 1}`;
  throw new Error(`unknown bump type '${type}'; valid: major, minor, patch`);
}

/** Every workspace package: dir, manifest, public or not. */
export function readWorkspace(root) {
  const pkgs = [];
  for (const group of ['packages', 'apps', 'bench']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    const dirs = existsSync(join(base, 'package.json')) ? [base] : readdirSync(base).map((d) => join(base, d));
    for (const dir of dirs) {
      if (!existsSync(join(dir, 'package.json'))) continue;
      pkgs.push({ dir, json: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) });
    }
  }
  return pkgs;
}

const RANK = { patch: 0, minor: 1, major: 2 };

/** The bumps the repo's pending changesets ask for (`.changeset/*.md`): package name → highest bump type. */
export function pendingChangesets(root) {
  const dir = join(root, '.changeset');
  const pending = new Map();
  if (!existsSync(dir)) return pending;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.md') || file === 'README.md') continue;
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, file), 'utf8'));
    if (!front) throw new Error(`.changeset/${file}: no front matter`);
    for (const line of front[1].split('\n')) {
      const m = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/.exec(line);
      if (!m) continue;
      const [, name, type] = m;
      if (!pending.has(name) || RANK[type] > RANK[pending.get(name)]) pending.set(name, type);
    }
  }
  return pending;
}

/** Runtime dependency names (what changesets bumps dependents for; devDependencies do not count). */
const runtimeDeps = (json) => ({ ...json.dependencies, ...json.peerDependencies, ...json.optionalDependencies });

/**
 * The release plan we expect: the pending changesets' bumps, BUMPED at least a
 * minor; every other public package that depends on a bumped package at
 * runtime, through a range the new version no longer satisfies (`workspace:^`
 * on a 0.x package), gets a patch.
 */
export function expectedPlan(pkgs, pending = new Map()) {
  const publicPkgs = pkgs.filter((p) => !p.json.private);
  const plan = new Map(pending);
  if (!plan.has(BUMPED) || RANK[plan.get(BUMPED)] < RANK.minor) plan.set(BUMPED, 'minor');
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of publicPkgs) {
      if (plan.has(p.json.name)) continue;
      const deps = Object.keys(runtimeDeps(p.json)).filter((d) => plan.has(d));
      if (deps.length > 0) {
        plan.set(p.json.name, 'patch');
        changed = true;
      }
    }
  }
  return plan;
}

/**
 * Writes the changeset, runs `pnpm version-packages` in `root` and checks the
 * result. Returns the expected new versions, for the publish that follows.
 */
export async function versionAndCheck(root, run) {
  const before = readWorkspace(root);
  const plan = expectedPlan(before, pendingChangesets(root));
  const oldVersion = new Map(before.map((p) => [p.json.name, p.json.version]));
  const newVersion = new Map([...plan].map(([name, type]) => [name, bump(oldVersion.get(name), type)]));

  const changeset = join(root, '.changeset', 'release-test-blocks-minor.md');
  writeFileSync(changeset, `---\n"${BUMPED}": minor\n---\n\n${SUMMARY}\n`);
  await run('pnpm', ['version-packages'], { cwd: root });
  assert.ok(!existsSync(changeset), 'changeset version did not consume the changeset file');

  const after = readWorkspace(root);
  for (const p of after) {
    const name = p.json.name;
    const orig = before.find((b) => b.json.name === name).json;
    const log = join(p.dir, 'CHANGELOG.md');
    if (!plan.has(name)) {
      assert.equal(p.json.version, orig.version, `${name} was not in the release plan but its version changed`);
      continue;
    }
    assert.equal(p.json.version, newVersion.get(name), `${name}: version after version-packages`);
    assert.ok(existsSync(log), `${name}: no CHANGELOG.md written`);
    const text = readFileSync(log, 'utf8');
    assert.ok(text.startsWith(`# ${name}\n`), `${name}: CHANGELOG.md does not start with '# ${name}'`);
    assert.ok(text.includes(`\n## ${p.json.version}\n`), `${name}: CHANGELOG.md has no '## ${p.json.version}' section`);
    if (name === BUMPED) {
      // Other pending changesets may list their own minor changes in the same section, before ours.
      const minor = /### Minor Changes\n\n([\s\S]*?)(?=\n##|$)/.exec(text)?.[1] ?? '';
      assert.match(minor, /^- (\w+: )?Release test: a minor change to the blocks\./m, `${name}: CHANGELOG.md lacks the changeset summary under '### Minor Changes'`);
    } else {
      const heading = { major: '### Major Changes', minor: '### Minor Changes', patch: '### Patch Changes' }[plan.get(name)];
      assert.ok(text.includes(heading), `${name}: CHANGELOG.md lacks '${heading}'`);
      const bumpedDeps = Object.keys(runtimeDeps(p.json)).filter((d) => plan.has(d));
      if (bumpedDeps.length > 0) assert.ok(text.includes('- Updated dependencies'), `${name}: CHANGELOG.md lacks 'Updated dependencies'`);
      for (const dep of bumpedDeps) {
        assert.ok(text.includes(`  - ${dep}@${newVersion.get(dep)}`), `${name}: CHANGELOG.md does not list ${dep}@${newVersion.get(dep)}`);
      }
    }
    // In the repo the ranges stay pnpm workspace ranges; `pnpm publish` turns
    // them into real ones (checked against the registry after publishing).
    for (const [dep, range] of Object.entries(p.json.dependencies ?? {})) {
      if (dep.startsWith('@resnet/')) assert.equal(range, orig.dependencies[dep], `${name}: range of ${dep} changed in package.json`);
    }
  }
  return { plan, oldVersion, newVersion };
}

/**
 * What a published manifest must say for a workspace range: `workspace:^` →
 * `^<version>`, `workspace:~` → `~<version>`, `workspace:*` → `<version>`.
 */
export function publishedRange(workspaceRange, version) {
  const r = workspaceRange.replace(/^workspace:/, '');
  if (r === '^' || r === '~') return `${r}${version}`;
  if (r === '*') return version;
  return r;
}
