// Turns the TypeScript/JavaScript blocks of the docs into the programs the docs
// check runs: one per block, or several blocks joined where a marker says a
// block `continues` the one before. Pure (programs.test.ts).

/** Code block languages that hold TypeScript or JavaScript. */
export const CODE_LANGS = ['ts', 'typescript', 'js', 'javascript', 'mjs', 'mts', 'tsx'];

/**
 * The programs of parsed docs (`[{ file, blocks }]`):
 * `[{ file, line, lines, code, weights, files, skip }]`. `line` is the first
 * block's line, `lines` every joined block's, `skip` the reason a program is
 * not run (null when it runs). A `continues` block with no block before it in
 * its file is an error.
 */
export function planPrograms(docs) {
  const programs = [];
  for (const doc of docs) {
    let last = null;
    for (const block of doc.blocks) {
      if (!CODE_LANGS.includes(block.lang)) continue;
      const by = (verb) => block.markers.filter((m) => m.verb === verb);
      const skip = by('skip')[0]?.reason ?? null;
      const weights = by('weights').flatMap((m) => m.tags);
      const files = by('file').map(({ name, from }) => ({ name, from }));
      if (by('continues').length > 0) {
        if (!last) throw new Error(`${doc.file}:${block.line}: \`continues\`, but no TypeScript block comes before it in this file`);
        last.lines.push(block.line);
        last.code += `\n${block.code}`;
        last.weights.push(...weights);
        last.files.push(...files);
        last.skip ??= skip ?? null;
        continue;
      }
      last = { file: doc.file, line: block.line, lines: [block.line], code: block.code, weights, files, skip };
      programs.push(last);
    }
  }
  return programs;
}
