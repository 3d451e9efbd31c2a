/**
 * The public API of each published package, read with the TypeScript compiler from its
 * src/index.ts: every exported name (values and types), what it is, and its TSDoc. Re-exports are
 * followed to the declaration they name, so an adapter re-exporting `createEntraValidator` is held
 * to the core's comment.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { root } from './workspace.js';

export interface ExportedDeclaration {
  /** The name users import. */
  name: string;
  /** `function`, `class`, `const`, `interface`, `type`, `enum` or `namespace`. */
  kind: string;
  /** Where the declaration lives, relative to the repository root. */
  file: string;
  /** The summary of its doc comment, trimmed; empty when it has none. */
  summary: string;
  /** The block tags of its doc comment, such as `example`, `deprecated`, `see`. */
  tags: string[];
}

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Variable) return 'const';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Module) return 'namespace';
  return 'other';
}

/** One program over every entry point (workspace imports resolve to sources via `@org/source`). */
export function readApiSurface(entryFiles: Record<string, string>): Record<string, ExportedDeclaration[]> {
  const configPath = join(root, 'packaging', 'tsconfig.docs.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, join(root, 'packaging'));
  const program = ts.createProgram({
    rootNames: Object.values(entryFiles),
    options: { ...parsed.options, noEmit: true },
  });
  const checker = program.getTypeChecker();
  const result: Record<string, ExportedDeclaration[]> = {};
  for (const [pkg, file] of Object.entries(entryFiles)) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${pkg}: ${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${pkg}: ${file} is not a module`);
    result[pkg] = checker
      .getExportsOfModule(moduleSymbol)
      .map((exported) => {
        const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const declaration = target.declarations?.[0];
        return {
          name: exported.name,
          kind: kindOf(target),
          file: declaration ? declaration.getSourceFile().fileName.slice(root.length + 1) : '?',
          summary: ts.displayPartsToString(target.getDocumentationComment(checker)).trim(),
          tags: [...new Set(target.getJsDocTags(checker).map((tag) => tag.name))].sort(),
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return result;
}
