// The public functions and classes of the publishable packages and the
// `@example` blocks of their JSDoc, read with the TypeScript compiler API from
// each package's barrel (src/index.ts), so re-exports count once under the
// name users import. Used by scripts/typecheck-docs.mjs.
import { join, relative } from 'node:path';
import ts from 'typescript';

/** The packages whose public functions and classes must each show an `@example`. */
export const PACKAGES = ['blocks', 'residual', 'zoo', 'analysis', 'backend'];

/**
 * Every exported function (including callable constants such as the zoo's model
 * entrypoints) and class of `packages/<pkg>/src/index.ts` for each of `packages`:
 * `[{ pkg, name, kind, file, line, examples }]`, `examples` the code of each
 * `@example` (the fenced blocks in it, or its whole text when it has none).
 */
export function publicApi(root, packages = PACKAGES) {
  const entries = packages.map((p) => join(root, 'packages', p, 'src', 'index.ts'));
  const program = ts.createProgram(entries, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: false,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const out = [];
  packages.forEach((pkg, i) => {
    const source = program.getSourceFile(entries[i]);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read the exports of packages/${pkg}/src/index.ts`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const kind = kindOf(symbol, checker);
      if (!kind) continue;
      const decl = symbol.declarations?.[0];
      const sf = decl?.getSourceFile();
      const examples = symbol
        .getJsDocTags(checker)
        .filter((t) => t.name === 'example')
        .map((t) => exampleCode(ts.displayPartsToString(t.text)));
      out.push({
        pkg,
        name: exported.name,
        kind,
        file: sf ? relative(root, sf.fileName) : `packages/${pkg}/src/index.ts`,
        line: sf && decl ? sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1 : 0,
        examples,
      });
    }
  });
  return out;
}

function kindOf(symbol, checker) {
  if (symbol.flags & ts.SymbolFlags.Class) return 'class';
  if (symbol.flags & ts.SymbolFlags.Function) return 'function';
  if (symbol.flags & ts.SymbolFlags.Variable && symbol.valueDeclaration) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration);
    if (type.getCallSignatures().length > 0) return 'function';
  }
  return null;
}

/** The code of one `@example`: its fenced blocks joined, or the whole text when it has no fence. */
export function exampleCode(text) {
  const fenced = [...text.matchAll(/```[\w-]*\n([\s\S]*?)```/g)].map((m) => m[1]);
  return (fenced.length > 0 ? fenced.join('\n') : text).replace(/\s+$/, '');
}

/** The imports an `@example` may leave out: `tf`, and the names it uses from its own package. */
export function examplePrelude(code, pkg, names) {
  const imports = /^\s*import\s+(?:type\s+)?(?:\*\s+as\s+(\w+)|\{([^}]*)\}|(\w+))?.*$/gm;
  // every name an import line binds or names (`{ a as b }`: both), so the prelude never imports it twice
  const imported = new Set([...code.matchAll(imports)].flatMap((m) => [m[1], m[3], ...(m[2] ?? '').split(/[\s,]+|\bas\b/)]).filter(Boolean));
  const body = code.replace(imports, '');
  const used = names.filter((n) => !imported.has(n) && new RegExp(`(?<![\\w$'"])(?<!(?:^|[^.])\\.)${n}(?![\\w$'"])`, 'm').test(body));
  const lines = [];
  // the bare import registers the backends even where `tf` ends up unused (TypeScript drops unused imports)
  if (!imported.has('tf')) lines.push("import '@tensorflow/tfjs';", "import * as tf from '@tensorflow/tfjs';");
  if (used.length > 0) lines.push(`import { ${used.join(', ')} } from '@resnet/${pkg}';`);
  return lines.map((l) => `${l}\n`).join('');
}
