// The changesets flow on a throwaway state of the repo: a minor changeset for
// @resnet/blocks (on top of whatever changesets the repo has pending), the plan
// changesets itself computes (`changeset status --output`), `pnpm
// version-packages`, then checks that the versions, CHANGELOGs and internal
// dependency ranges are what that plan says.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceDirs } from '../lib/workspace-packages.mjs';

const BUMPED = '@resnet/blocks';
const SUMMARY = 'Release test: a minor change to the blocks.';

/** Every workspace package but the root (as pnpm lists them): dir and manifest, public or not. */
export function readWorkspace(root) {
  return workspaceDirs(root)
    .slice(1)
    .map((dir) => ({ dir, json: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }));
}

/** Runtime dependency names (what changesets bumps dependents for; devDependencies do not count). */
const runtimeDeps = (json) => ({ ...json.dependencies, ...json.peerDependencies, ...json.optionalDependencies });

/**
 * The release plan as changesets computes it (`changeset status --output`):
 * package name → `{ type, oldVersion, newVersion }`, packages without a bump
 * left out. `run(cmd, args, { cwd })` runs a command.
 */
export async function releasePlan(root, run) {
  const out = join(root, '.changeset-status.json');
  await run('pnpm', ['changeset', 'status', '--output', out], { cwd: root });
  try {
    const { releases } = JSON.parse(readFileSync(out, 'utf8'));
    return new Map(releases.filter((r) => r.type !== 'none').map((r) => [r.name, r]));
  } finally {
    rmSync(out, { force: true });
  }
}

/**
 * What the product needs of a plan, whoever computed it: every public package
 * that depends at runtime on a released package is released too (else npm
 * users would get the old one beside the new). Returns the names missing.
 */
export function unreleasedDependents(pkgs, plan) {
  return pkgs.filter((p) => !p.json.private && !plan.has(p.json.name) && Object.keys(runtimeDeps(p.json)).some((d) => plan.has(d))).map((p) => p.json.name);
}

/**
 * Writes the changeset, runs `pnpm version-packages` in `root` and checks the
 * result. Returns the expected new versions, for the publish that follows.
 */
export async function versionAndCheck(root, run) {
  const before = readWorkspace(root);
  const changeset = join(root, '.changeset', 'release-test-blocks-minor.md');
  writeFileSync(changeset, `---\n"${BUMPED}": minor\n---\n\n${SUMMARY}\n`);
  const releases = await releasePlan(root, run);
  const plan = new Map([...releases].map(([name, r]) => [name, r.type]));
  const oldVersion = new Map(before.map((p) => [p.json.name, p.json.version]));
  const newVersion = new Map([...releases].map(([name, r]) => [name, r.newVersion]));
  assert.ok(['minor', 'major'].includes(plan.get(BUMPED)), `${BUMPED}: changesets plans ${plan.get(BUMPED) ?? 'no release'}, not the minor the changeset asks for`);
  const missing = unreleasedDependents(before, plan);
  assert.deepEqual(missing, [], `public packages that depend at runtime on a released one, but are not released: ${missing.join(', ')}`);

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
