// Every type the library's public functions take or return is exported from src/index.ts, so a
// program can name it: the TypeScript compiler lists the types the exports reach (parameters,
// results, their members, recursively) and each one declared in src/ must be exported too.
import { join } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function unexportedTypes(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  );
  if (!config) throw new Error('tsconfig.build.json not read');
  const program = ts.createProgram([join(root, 'src/index.ts')], config.options);
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(join(root, 'src/index.ts'));
  if (!entry) throw new Error('src/index.ts not in the program');
  const moduleSymbol = checker.getSymbolAtLocation(entry);
  if (!moduleSymbol) throw new Error('src/index.ts has no module symbol');
  const resolve = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const exported = new Set(checker.getExportsOfModule(moduleSymbol).map(resolve));
  const inSrc = (d: ts.Declaration) => {
    const f = d.getSourceFile().fileName;
    return f.startsWith(join(root, 'src')) && !f.includes('node_modules');
  };
  const missing = new Map<string, string>();
  const seen = new Set<ts.Node>();
  // Every type named inside `node` (a declaration of ours), and the declarations of those in turn.
  const visit = (node: ts.Node, via: string): void => {
    if (seen.has(node)) return;
    seen.add(node);
    const walk = (n: ts.Node): void => {
      if (ts.isTypeReferenceNode(n) || ts.isExpressionWithTypeArguments(n)) {
        const name = ts.isTypeReferenceNode(n) ? n.typeName : n.expression;
        const at = checker.getSymbolAtLocation(name);
        const s = at && resolve(at);
        for (const d of s?.declarations ?? []) {
          if (!inSrc(d) || ts.isTypeParameterDeclaration(d)) continue;
          if (!exported.has(s as ts.Symbol)) missing.set(s?.name ?? '?', via);
          visit(d, via);
        }
      }
      // Function bodies are not part of the contract; their signatures are.
      if (ts.isBlock(n)) return;
      ts.forEachChild(n, walk);
    };
    walk(node);
  };
  for (const s of exported) {
    for (const d of s.declarations ?? []) if (inSrc(d)) visit(d, s.name);
  }
  // Inferred return types name nothing in the source: check what the checker infers for functions.
  for (const s of exported) {
    const d = s.valueDeclaration;
    if (!d || !inSrc(d) || !(ts.isFunctionDeclaration(d) && !d.type)) continue;
    missing.set(`${s.name}: give it an explicit return type`, s.name);
  }
  return [...missing].map(([name, via]) => `${name} (reached from ${via})`).sort();
}

it('exports every type that its exported functions, classes and types reach', () => {
  expect(unexportedTypes()).toEqual([]);
}, 60_000);
