// Reads the parts of a Markdown file the docs check needs: fenced code blocks
// with the `<!-- docs-check: … -->` markers written just above them, and the
// inline code spans of the prose. Pure functions over a string, so the rules
// are unit-tested (markdown.test.ts).

/**
 * What a marker may say, one verb per comment, written on the lines just above a
 * fence (blank lines and other markers may sit between):
 *
 * - `skip REASON`: the block is not meant to run (browser only, a fragment…); the reason is required.
 * - `continues`: the block runs after the previous TypeScript block of the same file, as one program.
 * - `weights TAG…`: a network-free stand-in: the pretrained weights TAG are served from a local
 *   cache of random weights of the right shape, offline (the block would download them).
 * - `file NAME from PATH`: the block reads NAME (a user's file); the check puts a copy of the
 *   repository file PATH there.
 */
export const VERBS = ['skip', 'continues', 'weights', 'file'];

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/;
const MARKER = /^\s*<!--\s*docs-check:\s*(.*?)\s*-->\s*$/;

/**
 * Parses one marker's text (after `docs-check:`) into `{ verb, ... }`; throws
 * with the reason when it is malformed, so a typo never silently runs or skips a block.
 */
export function parseMarker(text) {
  const [verb = '', ...rest] = text.trim().split(/\s+/);
  const arg = rest.join(' ');
  switch (verb) {
    case 'skip':
      if (!arg) throw new Error('`skip` needs a reason: <!-- docs-check: skip browser only (document) -->');
      return { verb, reason: arg };
    case 'continues':
      if (arg) throw new Error(`\`continues\` takes nothing, got '${arg}'`);
      return { verb };
    case 'weights':
      if (rest.length === 0) throw new Error('`weights` needs one or more pretrained tags: <!-- docs-check: weights resnet50.tv2_in1k -->');
      return { verb, tags: rest };
    case 'file': {
      const m = /^(\S+)\s+from\s+(\S+)$/.exec(arg);
      if (!m) throw new Error(`\`file\` is 'file NAME from REPO_PATH', got 'file ${arg}'`);
      return { verb, name: m[1], from: m[2] };
    }
    default:
      throw new Error(`unknown docs-check marker '${verb}'; known: ${VERBS.join(', ')}`);
  }
}

/**
 * The fenced code blocks of `markdown`: `{ line, lang, code, markers }`, `line`
 * the 1-based line of the opening fence, `code` without the fence's indentation,
 * `markers` the parsed markers above it. Throws (naming the line) on a malformed
 * marker, a marker that no block follows, or an unclosed fence.
 */
export function codeBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  let pending = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const marker = MARKER.exec(line);
    if (marker) {
      try {
        pending.push(parseMarker(marker[1]));
      } catch (e) {
        throw new Error(`line ${i + 1}: ${e.message}`);
      }
      continue;
    }
    const open = FENCE.exec(line);
    if (!open) {
      if (line.trim() !== '' && pending.length > 0) throw new Error(`line ${i + 1}: a docs-check marker must be followed by a code block`);
      continue;
    }
    const [, indent, fence, lang] = open;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !(lines[i].trim().startsWith(fence) && lines[i].trim().replace(/[`~]/g, '') === ''); i++) {
      body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i].trimStart());
    }
    if (i >= lines.length) throw new Error(`line ${start + 1}: code block never closed`);
    blocks.push({ line: start + 1, lang: lang.toLowerCase(), code: body.join('\n'), markers: pending });
    pending = [];
  }
  if (pending.length > 0) throw new Error('a docs-check marker at the end of the file is followed by no code block');
  return blocks;
}

/**
 * The inline code spans of the prose (outside fenced blocks): `{ line, text }`.
 * A span may wrap onto the next line of its paragraph; the line break counts
 * as a space, as Markdown renders it.
 */
export function inlineSpans(markdown) {
  const lines = markdown.split('\n');
  const spans = [];
  let inFence = null;
  let para = [];
  const flush = () => {
    if (para.length === 0) return;
    const text = para.map((p) => p.text).join('\n');
    for (const m of text.matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)) {
      const line = para[0].line + text.slice(0, m.index).split('\n').length - 1;
      // `\|` is a table cell's escaped pipe: the rendered span shows `|`.
      spans.push({ line, text: m[2].replace(/\s*\n\s*/g, ' ').replaceAll('\\|', '|').trim() });
    }
    para = [];
  };
  lines.forEach((line, i) => {
    const fence = FENCE.exec(line);
    if (inFence) {
      if (line.trim().startsWith(inFence) && line.trim().replace(/[`~]/g, '') === '') inFence = null;
      return;
    }
    if (fence) {
      flush();
      inFence = fence[2];
      return;
    }
    if (line.trim() === '') flush();
    else para.push({ line: i + 1, text: line });
  });
  flush();
  return spans;
}
