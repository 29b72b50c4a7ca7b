// The documentation the docs check reads, parsed once: the files a newcomer
// follows (README, CONTRIBUTING, docs/, every package's, app's and tool's
// README, bench and examples), each with its code blocks and inline spans.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeBlocks, inlineSpans } from './markdown.mjs';

/** Git pathspecs of the documentation (tracked or new, not ignored). */
export const DOC_PATTERNS = ['README.md', 'CONTRIBUTING.md', 'docs/*.md', 'packages/*/README.md', 'apps/*/README.md', 'bench/README.md', 'tools/*README.md', 'examples/README.md'];

/**
 * Every documentation file as `{ file, text, blocks, spans }` (paths relative to
 * `root`), or `{ file, error }` when a marker or a fence in it is malformed.
 */
export function readDocs(root) {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...DOC_PATTERNS], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .sort();
  return files.map((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    try {
      return { file, text, blocks: codeBlocks(text), spans: inlineSpans(text) };
    } catch (e) {
      return { file, error: e.message };
    }
  });
}
