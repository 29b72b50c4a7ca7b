// Every shell command the docs write, in shell code blocks and in the prose's
// inline code spans, resolved without running it for real (resolve.mjs).
import { createResolver } from './resolve.mjs';
import { isCommandSpan, shellBlockCommands, splitCommands } from './shell.mjs';

/** Code block languages that hold commands to type. */
export const SHELL_LANGS = ['sh', 'bash', 'shell', 'console'];

/** The commands of parsed docs: `[{ where: 'FILE:LINE', text, argv }]`, each distinct command once per file. */
export function collectCommands(docs) {
  const out = [];
  for (const doc of docs) {
    const seen = new Set();
    const add = (line, c) => {
      if (seen.has(c.text)) return;
      seen.add(c.text);
      out.push({ where: `${doc.file}:${line}`, ...c });
    };
    for (const b of doc.blocks) {
      if (!SHELL_LANGS.includes(b.lang) || b.markers.some((m) => m.verb === 'skip')) continue;
      for (const c of shellBlockCommands(b.code)) add(b.line + c.line, c);
    }
    for (const s of doc.spans) if (isCommandSpan(s.text)) for (const c of splitCommands(s.text)) add(s.line, c);
  }
  return out;
}

/** Resolves `commands`, two at a time; returns them with `{ ok, kind, detail }` added, in order. */
export async function resolveCommands(root, commands, concurrency = 2) {
  const { resolve } = createResolver(root);
  const results = new Array(commands.length);
  let next = 0;
  const worker = async () => {
    while (next < commands.length) {
      const i = next++;
      results[i] = { ...commands[i], ...(await resolve(commands[i].argv)) };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
