// Shell commands as the docs write them, split into argument vectors: what a
// reader would type, one command per `&&`, `||`, `;` or `|`, with comments,
// line continuations and redirections taken out. Pure functions (shell.test.ts).

/** The programs whose inline code spans in prose are commands to resolve. */
export const COMMAND_WORDS = ['pnpm', 'npm', 'npx', 'node', 'tsx', 'resnet-train', 'bash', 'sh', 'python3', '/usr/bin/python3', 'torchrun', 'git'];

/** True when an inline code span of the prose is a command (it starts with one of COMMAND_WORDS). */
export function isCommandSpan(text) {
  const first = text.split(/\s+/)[0];
  return COMMAND_WORDS.includes(first) && text.trim() !== first;
}

/**
 * Splits one line of shell into commands: `[{ argv, text }]`. Quotes group
 * words; `$(…)` stays one word; a `|` inside `[…]` (a synopsis' alternatives)
 * is no pipe; `#` starts a comment outside quotes; redirections (`>&2`,
 * `2>/dev/null`, `> file`) are dropped.
 */
export function splitCommands(line) {
  const commands = [];
  let argv = [];
  let word = null;
  let quote = null;
  let depth = 0;
  let bracket = 0; // a synopsis' [--model a|b]: its | is an alternative, not a pipe
  const endWord = () => {
    if (word !== null) argv.push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    const clean = dropRedirections(argv);
    if (clean.length > 0) commands.push({ argv: clean, text: clean.join(' ') });
    argv = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
      continue;
    }
    if (depth > 0) {
      word += c;
      if (c === '(') depth++;
      else if (c === ')') depth--;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '$' && line[i + 1] === '(') {
      word = `${word ?? ''}$(`;
      depth = 1;
      i++;
    } else if (c === '#' && word === null) {
      break;
    } else if (c === '[' || c === ']') {
      bracket = Math.max(0, bracket + (c === '[' ? 1 : -1));
      word = (word ?? '') + c;
    } else if (c === '|' && bracket > 0) {
      word = (word ?? '') + c;
    } else if (/\s/.test(c)) {
      endWord();
    } else if ((c === '&' || c === '|') && line[i + 1] === c) {
      endCommand();
      i++;
    } else if (c === ';' || (c === '|' && !/[<>]$/.test(word ?? ''))) {
      endCommand();
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} in: ${line}`);
  endCommand();
  return commands;
}

// Output redirections only: `<name>` in a doc is a placeholder, not an input redirection.
function dropRedirections(argv) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (/^\d*>{1,2}&\d+$/.test(a)) continue; // >&2, 2>&1
    if (/^\d*>{1,2}$/.test(a) || a === '<') {
      i++; // > file
      continue;
    }
    if (/^\d*>{1,2}\S/.test(a)) continue; // 2>/dev/null
    out.push(a);
  }
  return out;
}

/**
 * The commands of a shell code block: `[{ line, argv, text }]`, `line` counted
 * from 1 within the block. A trailing `\` joins the next line; a line that
 * starts with `$ ` is a prompt (the rest is the command).
 */
export function shellBlockCommands(code) {
  const out = [];
  const lines = code.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i];
    while (/\\\s*$/.test(text) && i + 1 < lines.length) text = text.replace(/\\\s*$/, ' ') + lines[++i];
    text = text.replace(/^\s*\$\s+/, '');
    for (const c of splitCommands(text)) out.push({ line: start + 1, ...c });
  }
  return out;
}
