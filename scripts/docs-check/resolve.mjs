// Resolves a documented shell command without running it for real: the script
// is one pnpm lists for that package (and no pnpm built-in shadows it: pnpm's
// own help says which built-ins run or yield to a script), the
// binary or file exists, and `--help` (or a dry run: `bash -n`, a Python parse)
// succeeds. Flags the docs pass to one of our CLIs must appear in its --help.
// Script bodies are resolved in turn, segment by segment, with the documented
// arguments appended to the last segment, as pnpm and npm append them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, delimiter, dirname, join, relative, resolve as resolvePath } from 'node:path';
import { workspacePackages } from '../lib/workspace-packages.mjs';
import { probe, tail } from './probe.mjs';
import { splitCommands } from './shell.mjs';

const PYTHON = ['python3', '/usr/bin/python3'];

const isPlaceholder = (s) => /<[^>]*>|\[[^\]]*\]/.test(s);

/**
 * The scripts of the package in `dir` as pnpm itself lists them (`pnpm run`
 * with no script name): `{ name: body }`, lifecycle scripts included.
 */
export function parseScriptListing(output) {
  const scripts = {};
  let name = null;
  for (const line of output.split('\n')) {
    const body = /^ {4}(\S.*)$/.exec(line);
    const head = /^ {2}(\S+)$/.exec(line);
    if (body && name) [scripts[name], name] = [body[1], null];
    else if (head) name = head[1];
  }
  return scripts;
}

/**
 * What pnpm's help for a built-in says about scripts: the script it runs
 * ("Runs a package's "test" script"), or whether a script of its name
 * overrides it ("A `clean` script … overrides the built-in command").
 */
export function builtinScriptRole(help) {
  const runs = /^Runs (?:a package's "(\w+)" script|an arbitrary command specified in the package's "?(\w+)"? property)/m.exec(help);
  return { runs: runs ? (runs[1] ?? runs[2]) : null, overriddenBy: /`(\w+)` script[^\n]*?overrides/.exec(help)?.[1] ?? null };
}

/** A resolver for commands run from `root`; `resolve(argv)` → `{ ok, kind, detail }`. */
export function createResolver(root) {
  const packages = workspacePackages(root);
  const scriptsOf = async (pkg) => parseScriptListing((await probe('pnpm', ['run'], pkg.dir)).output);
  const rootPkg = packages[0];
  const lockfile = readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8');
  const byName = new Map(packages.map((p) => [p.name, p]));
  const rel = (p) => relative(root, p) || '.';

  const ok = (kind, detail) => ({ ok: true, kind, detail });
  const fail = (kind, detail) => ({ ok: false, kind, detail });
  /** All results must pass; the first failure explains the whole. */
  const all = (kind, detail, results) => results.find((r) => !r.ok) ?? ok(kind, [detail, ...results.map((r) => r.detail)].filter(Boolean).join('; '));

  async function resolve(argv, cwd = root, pkg = rootPkg) {
    while (/^[A-Z_][A-Z0-9_]*=/.test(argv[0] ?? '')) argv.shift(); // VAR=value before the program
    const [program, ...args] = argv;
    if (program === 'pnpm') return pnpm(args, pkg);
    if (program === 'npm') return npm(args);
    if (program === 'node') return node(args, cwd, []);
    if (program === 'tsx') return node(args, cwd, ['--import', 'tsx']);
    if (program === 'resnet-train') return ourCli(join(byName.get('resnet-train').dir, 'dist/cli.js'), args, []);
    if (program === 'bash' || program === 'sh') return dryRunFile(args, cwd, program);
    if (PYTHON.includes(program)) return python(args, cwd, program);
    if (program === 'torchrun') return python(args, cwd, 'python3');
    if (program === 'git') return binary('git', ['--version'], cwd);
    if (program.endsWith('.sh')) return dryRunFile([program], cwd, 'bash');
    if (program.includes('/')) return executable(resolvePath(cwd, program));
    return bin(program, cwd, pkg);
  }

  async function pnpm(args, pkg) {
    let target = pkg;
    const rest = [...args];
    while (rest[0]?.startsWith('-')) {
      const opt = rest.shift();
      if (opt === '--filter' || opt === '-F' || opt.startsWith('--filter=')) {
        const name = opt.includes('=') ? opt.slice(opt.indexOf('=') + 1) : rest.shift();
        target = byName.get(name);
        if (!target) return fail('pnpm', `--filter ${name}: no workspace package of that name; known: ${[...byName.keys()].join(', ')}`);
      }
    }
    const [cmd, ...cmdArgs] = rest;
    if (!cmd) return fail('pnpm', 'no command');
    const where = `${rel(target.dir)}/package.json`;
    if (cmd === 'run' || cmd === 'run-script') return script(target, cmdArgs[0], cmdArgs.slice(1));
    const help = await probe('pnpm', ['help', cmd], root);
    const builtin = help.status === 0;
    const role = builtinScriptRole(help.output);
    const hasScript = Boolean((await scriptsOf(target))[cmd]);
    if (builtin && role.runs) return script(target, role.runs, cmdArgs);
    if (builtin && hasScript && role.overriddenBy !== cmd) {
      return fail('pnpm built-in', `pnpm's built-in \`pnpm ${cmd}\` runs, not the script '${cmd}' of ${where}: write \`pnpm run ${cmd}\` or rename the script`);
    }
    if (hasScript) return script(target, cmd, cmdArgs);
    if (builtin && cmd === 'exec') return resolve(cmdArgs, target.dir, target);
    if (builtin) {
      // The built-in's own synopsis: `Usage: pnpm docs [OPTIONS] <PACKAGE>` needs one argument.
      const synopsis = /^Usage: pnpm .*$/m.exec(help.output)?.[0] ?? '';
      const required = (synopsis.match(/<[A-Z_]+>/g) ?? []).length;
      const given = cmdArgs.filter((a) => !a.startsWith('-')).length;
      if (given < required) return fail('pnpm built-in', `\`pnpm ${cmd}\` is pnpm's built-in (${synopsis}) and lacks its argument; a script of that name is never run by it`);
      return helpExits('pnpm built-in', ['pnpm', cmd, '--help'], root, `pnpm built-in \`${cmd}\``);
    }
    // pnpm runs an unknown command as `pnpm exec`: a binary of the package
    if (findBin(cmd, target.dir)) return resolve([cmd, ...cmdArgs], target.dir, target);
    return fail('pnpm', `\`pnpm ${cmd}\`: neither a pnpm command, a script of ${where}, nor a binary in its node_modules/.bin`);
  }

  async function script(target, name, extra) {
    const where = `${rel(target.dir)}/package.json`;
    const scripts = await scriptsOf(target);
    const body = scripts[name];
    if (!body) return fail('script', `pnpm lists no script '${name}' for ${where}; scripts: ${Object.keys(scripts).join(', ')}`);
    const segments = splitCommands(body);
    const results = [];
    for (const [i, seg] of segments.entries()) results.push(await resolve(i === segments.length - 1 ? [...seg.argv, ...extra] : seg.argv, target.dir, target));
    return all('script', `script '${name}' of ${where}`, results);
  }

  async function npm(args) {
    const [cmd, ...rest] = args;
    if (cmd === 'run' || cmd === 'run-script') return script(rootPkg, rest[0], rest.slice(1).filter((a) => a !== '--'));
    const specs = rest.filter((a) => !a.startsWith('-'));
    if ((cmd === 'install' || cmd === 'i' || cmd === 'add') && specs.length > 0) {
      const results = await Promise.all(specs.map(async (spec) => {
        if (spec.startsWith('@resnet/')) {
          const p = byName.get(spec);
          return p && !p.private ? ok('package', spec) : fail('package', `${spec} is not a publishable workspace package`);
        }
        if (lockfile.includes(`\n  ${spec}@`) || lockfile.includes(`\n  '${spec}@`)) return ok('package', `${spec} (in pnpm-lock.yaml)`);
        const r = await probe('npm', ['view', spec, 'name'], root);
        return r.status === 0 ? ok('package', spec) : fail('package', `npm view ${spec} failed:\n${tail(r.output)}`);
      }));
      return all('npm', `npm ${cmd}: ${specs.length} package(s) exist on the registry or in packages/`, results);
    }
    return helpExits('npm', ['npm', cmd, '--help'], root, `npm ${cmd}`);
  }

  /** `node [options] FILE args`: the file exists; ours answers --help and lists the flags used. */
  async function node(args, cwd, loader) {
    const opts = [...loader];
    let i = 0;
    for (; i < args.length && args[i].startsWith('-'); i++) {
      opts.push(args[i]);
      if (args[i] === '--import' || args[i] === '-r' || args[i] === '--require') opts.push(args[++i]);
    }
    const file = args[i];
    if (!file) return fail('node', 'no file to run');
    if (isPlaceholder(file)) return glob(resolvePath(cwd, file));
    const path = resolvePath(cwd, file);
    if (!existsSync(path)) return fail('file', `${rel(path)} does not exist${/\/dist\//.test(path) ? ' (run `pnpm build` first)' : ''}`);
    return ourCli(path, args.slice(i + 1), opts);
  }

  async function ourCli(path, args, nodeOpts) {
    // A program that ignores --help would run for real: only ask those whose source (or a
    // module it imports, like bench's shared flag parser) says they answer it.
    if (!answersHelp(path)) {
      return fail('cli', `${rel(path)} does not answer --help (its source never mentions it), so the docs check cannot resolve it without running it: add \`exitOnHelp(usage)\` (scripts/lib/usage.mjs)`);
    }
    const help = await probe('node', [...nodeOpts, path, '--help'], dirname(path));
    if (help.status !== 0 || !/usage/i.test(help.output)) return fail('cli', `\`node ${rel(path)} --help\` ${help.status === 0 ? 'printed no usage' : `exited ${help.status}`}:\n${tail(help.output)}`);
    let text = help.output;
    const sub = args.find((a) => !a.startsWith('-'));
    const commands = /^Commands:\n((?:[ \t]+.*(?:\n|$))+)/m.exec(text)?.[1];
    let what = rel(path);
    if (commands && sub && !isPlaceholder(sub)) {
      if (!new RegExp(`^\\s+${sub.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'm').test(commands)) return fail('cli', `${rel(path)} has no command '${sub}'`);
      const subHelp = await probe('node', [...nodeOpts, path, sub, '--help'], dirname(path));
      if (subHelp.status !== 0) return fail('cli', `\`${rel(path)} ${sub} --help\` exited ${subHelp.status}:\n${tail(subHelp.output)}`);
      text = subHelp.output;
      what += ` ${sub}`;
    }
    // `--flag`, `--flag=value`, and `[--flag` in a synopsis
    const flags = [...new Set(args.map((a) => /^\[?(--?[a-zA-Z][\w-]*)/.exec(a)?.[1]).filter(Boolean))];
    const unknown = flags.filter((f) => !new RegExp(`(^|[\\s,[(|])${f}(?![\\w-])`, 'm').test(text));
    if (unknown.length > 0) return fail('cli', `${what}: --help lists no ${unknown.join(', ')}`);
    return ok('cli', `${what} --help${flags.length ? ` lists ${flags.join(' ')}` : ''}`);
  }

  function answersHelp(path) {
    const mentions = (source) => source.includes('--help') || source.includes('exitOnHelp(');
    const source = readFileSync(path, 'utf8');
    if (mentions(source)) return true;
    const imported = [...source.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => resolvePath(dirname(path), m[1]));
    return imported.some((p) => [p, p.replace(/\.js$/, '.ts')].some((f) => existsSync(f) && mentions(readFileSync(f, 'utf8'))));
  }

  function glob(pattern) {
    const dir = dirname(pattern);
    const re = new RegExp(`^${basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replace(/<[^>]*>|\[[^\]]*\]/g, '.+')}$`);
    const hits = existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)) : [];
    return hits.length > 0 ? ok('file', `${rel(pattern)}: ${hits.length} match(es)`) : fail('file', `nothing matches ${rel(pattern)}`);
  }

  /** Shell scripts: `bash -n`, a dry run that parses the script without running it. */
  async function dryRunFile(args, cwd, program) {
    const file = args.find((a) => !a.startsWith('-'));
    if (!file) return fail('file', `${program}: no script named`);
    const path = resolvePath(cwd, file);
    if (!existsSync(path)) return fail('file', `${rel(path)} does not exist`);
    return helpExits('file', [program, '-n', path], root, `${rel(path)} parses (${program} -n)`);
  }

  /** Python scripts: the file parses (a dry run that needs no torch); without a python3, the file exists. */
  async function python(args, cwd, program) {
    const file = args.find((a) => a.endsWith('.py'));
    if (!file) return ok('external', `${args.join(' ')}: options of an external tool, nothing of ours to resolve`);
    const path = resolvePath(cwd, file);
    if (!existsSync(path)) return fail('file', `${rel(path)} does not exist`);
    const python = findOnPath(program) ?? findOnPath('python3'); // any Python parses it; torch is not needed
    if (!python) return ok('file', `${rel(path)} exists (no python3 here to parse it)`);
    return helpExits('file', [python, '-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])', path], root, `${rel(path)} parses`);
  }

  /** A file of ours run directly (`bench/gpu/x`): it must answer --help, as a node script must. */
  async function executable(path) {
    if (!existsSync(path)) return fail('file', `${rel(path)} does not exist`);
    if (!answersHelp(path)) return fail('cli', `${rel(path)} does not answer --help (its source never mentions it), so the docs check cannot resolve it without running it`);
    return helpExits('cli', [path, '--help'], root, `${rel(path)} --help`);
  }

  function findBin(name, dir) {
    for (const d of [dir, root]) if (existsSync(join(d, 'node_modules/.bin', name))) return join(d, 'node_modules/.bin', name);
    return null;
  }

  async function bin(name, cwd, pkg) {
    const path = findBin(name, pkg.dir) ?? findOnPath(name);
    if (!path) return fail('bin', `\`${name}\` is not in ${rel(pkg.dir)}/node_modules/.bin, the root's, or on PATH`);
    return helpExits('bin', [path, '--help'], cwd, `${name} --help`);
  }

  function binary(name, args, cwd) {
    const path = findOnPath(name);
    return path ? helpExits('bin', [path, ...args], cwd, `${name} ${args.join(' ')}`) : fail('bin', `\`${name}\` is not on PATH`);
  }

  async function helpExits(kind, [cmd, ...args], cwd, what) {
    const r = await probe(cmd, args, cwd);
    return r.status === 0 ? ok(kind, what) : fail(kind, `\`${[basename(cmd), ...args.map((a) => (a.startsWith(root) ? rel(a) : a))].join(' ')}\` exited ${r.status}:\n${tail(r.output)}`);
  }

  return { resolve: (argv) => resolve([...argv]) };
}

function findOnPath(name) {
  if (name.includes('/')) return existsSync(name) ? name : null;
  for (const d of (process.env.PATH ?? '').split(delimiter)) if (d && existsSync(join(d, name))) return join(d, name);
  return null;
}
