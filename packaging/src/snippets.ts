/**
 * The TypeScript blocks of the documentation, type-checked the way a reader's project would compile
 * them: strict, `module`/`moduleResolution` `nodenext`, ESM, the `@org/*` packages resolved to the
 * workspace packages' built types (their `exports`, as installed), the frameworks' own types.
 *
 * Which blocks: every ```ts / ```typescript fence in README.md, docs/*.md, packages/<name>/README.md
 * and examples/<name>/README.md (found by listing the folders, so a package added later is checked
 * too). Words after the language in the fence's info string:
 *
 * - `nocheck`: the block is not checked. Only for a block that shows code that must not compile.
 * - `framework=<express|koa|fastify|fetch|hono>`: what `app` is, when neither an import nor the README's
 *   package says it.
 *
 * A block is a fragment: names it uses without declaring come from ../snippets/prelude.ts, and in a
 * package's README, the names that package exports are in scope (imported for the block). Relative
 * imports resolve against ../snippets/files/ (e.g. docs/testing.md's '../src/app.js').
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { COMMON, FRAMEWORK, type Framework } from '../snippets/prelude.js';
import { readManifest, root as workspaceRoot } from './workspace.js';

export interface Snippet {
  /** Path of the Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line, in the Markdown file, of the block's first line of code. */
  line: number;
  code: string;
  nocheck: boolean;
  /** `framework=` from the info string. */
  framework?: Framework;
}

/** The Markdown files whose TypeScript blocks are checked, relative to `root`, sorted. */
export function markdownFiles(root: string = workspaceRoot): string[] {
  const files = ['README.md'];
  const listed = (dir: string, filter: (name: string) => boolean) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { withFileTypes: true })
          .filter((entry) => filter(entry.name) && (entry.isFile() || entry.isDirectory()))
          .map((entry) => entry.name)
      : [];
  files.push(...listed('docs', (name) => name.endsWith('.md')).map((name) => `docs/${name}`));
  for (const dir of ['packages', 'examples']) {
    for (const name of listed(dir, () => true)) {
      if (existsSync(join(root, dir, name, 'README.md'))) files.push(`${dir}/${name}/README.md`);
    }
  }
  return files.filter((file) => existsSync(join(root, file))).sort();
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/;

/** The ```ts / ```typescript blocks of one Markdown file. */
export function extractSnippets(file: string, root: string = workspaceRoot): Snippet[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  let open:
    | { fence: string; indent: string; ts: boolean; info: string[]; start: number; body: string[] }
    | undefined;
  lines.forEach((text, index) => {
    const match = FENCE.exec(text);
    if (open === undefined) {
      if (match === null) return;
      const [, indent = '', fence = '', lang = '', rest = ''] = match;
      open = {
        fence,
        indent,
        ts: lang === 'ts' || lang === 'typescript',
        info: rest.trim().split(/\s+/),
        start: index + 2,
        body: [],
      };
      return;
    }
    if (match?.[2]?.startsWith(open.fence) && (match[3] ?? '') === '' && (match[4] ?? '').trim() === '') {
      if (open.ts) {
        const framework = open.info.find((word) => word.startsWith('framework='))?.slice('framework='.length);
        snippets.push({
          file,
          line: open.start,
          code: open.body
            .map((body) => (body.startsWith(open?.indent ?? '') ? body.slice(open?.indent.length) : body))
            .join('\n'),
          nocheck: open.info.includes('nocheck'),
          ...(framework === undefined ? {} : { framework: framework as Framework }),
        });
      }
      open = undefined;
      return;
    }
    open.body.push(text);
  });
  return snippets;
}

/** Every name a block declares at its top level (imports included). */
function declaredNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

function usedNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

const ADAPTERS: Readonly<Record<string, Framework>> = {
  '@org/entra-express': 'express',
  express: 'express',
  '@org/entra-koa': 'koa',
  koa: 'koa',
  '@org/entra-fastify': 'fastify',
  fastify: 'fastify',
  '@org/entra-fetch': 'fetch',
  '@org/entra-hono': 'hono',
  hono: 'fetch',
};

/** The workspace package whose README a snippet is in (`packages/koa/README.md` → its manifest). */
function ownPackage(snippet: Snippet, root: string): { name: string; dir: string } | undefined {
  const match = /^packages\/([^/]+)\/README\.md$/.exec(snippet.file);
  if (match === null) return undefined;
  const dir = join(root, 'packages', match[1] as string);
  return { name: readManifest(dir).name, dir };
}

/** Names a built package exports, read from its bundled declaration file. */
function exportedNames(packageDir: string): Set<string> {
  const names = new Set<string>();
  const dts = join(packageDir, 'dist', 'index.d.ts');
  if (!existsSync(dts)) return names;
  const text = readFileSync(dts, 'utf8');
  for (const [, list] of text.matchAll(/export\s*(?:type\s*)?\{([^}]*)\}/g)) {
    for (const item of (list ?? '').split(',')) {
      const name = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) names.add(name);
    }
  }
  for (const [, name] of text.matchAll(
    /export\s+(?:declare\s+)?(?:const|let|function|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g,
  )) {
    if (name) names.add(name);
  }
  return names;
}

function frameworkOf(snippet: Snippet, source: ts.SourceFile, own: string | undefined): Framework {
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const framework = ADAPTERS[statement.moduleSpecifier.text];
      if (framework !== undefined) return framework;
    }
  }
  if (own !== undefined && ADAPTERS[own] !== undefined) return ADAPTERS[own] as Framework;
  return snippet.framework ?? 'express';
}

/** The file the checker compiles for a snippet: its code, then what it uses and does not declare. */
export function snippetSource(snippet: Snippet, root: string = workspaceRoot): string {
  const source = ts.createSourceFile('snippet.ts', snippet.code, ts.ScriptTarget.ES2022, true);
  const declared = declaredNames(source);
  const used = usedNames(source);
  const own = ownPackage(snippet, root);
  const ownExports = own === undefined ? new Set<string>() : exportedNames(own.dir);
  const framework = frameworkOf(snippet, source, own?.name);
  const added: string[] = [];
  const fromPackage: string[] = [];
  for (const name of [...used].sort()) {
    if (declared.has(name)) continue;
    if (ownExports.has(name)) fromPackage.push(name);
    else if (FRAMEWORK[framework][name] !== undefined) added.push(FRAMEWORK[framework][name] as string);
    else if (COMMON[name] !== undefined) added.push(COMMON[name] as string);
  }
  if (own !== undefined && fromPackage.length > 0)
    added.unshift(`import { ${fromPackage.join(', ')} } from '${own.name}';`);
  return `${snippet.code}\n// --- prelude (packaging/snippets/prelude.ts) ---\nexport {};\n${added.join('\n')}\n`;
}

/**
 * A folder where every dependency of the workspace's packages is one `node_modules/<name>` away:
 * the `@org/*` names point at the workspace packages, everything else at the first package (in
 * packages/, examples/, bench, packaging, then the root) that has it.
 */
function linkDependencies(target: string, root: string): void {
  const modules = join(target, 'node_modules');
  mkdirSync(join(modules, '@org'), { recursive: true });
  const workspaceDirs = (dir: string) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => join(root, dir, entry.name))
          .sort()
      : [];
  for (const dir of workspaceDirs('packages')) {
    if (!existsSync(join(dir, 'package.json'))) continue;
    const { name } = readManifest(dir);
    if (name.startsWith('@org/')) symlinkSync(dir, join(modules, name));
  }
  const sources = [
    ...workspaceDirs('packages'),
    ...workspaceDirs('examples'),
    join(root, 'bench'),
    join(root, 'packaging'),
    root,
  ];
  for (const dir of sources) {
    const nodeModules = join(dir, 'node_modules');
    if (!existsSync(nodeModules)) continue;
    for (const entry of readdirSync(nodeModules)) {
      if (entry.startsWith('.') || entry === '@org') continue;
      const names = entry.startsWith('@')
        ? readdirSync(join(nodeModules, entry)).map((name) => `${entry}/${name}`)
        : [entry];
      for (const name of names) {
        if (existsSync(join(modules, name))) continue;
        mkdirSync(join(modules, name, '..'), { recursive: true });
        symlinkSync(join(nodeModules, name), join(modules, name));
      }
    }
  }
}

export const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: ['node'],
  skipLibCheck: true,
  noEmit: true,
  // NestJS snippets use TypeScript's legacy decorators, as Nest apps do; nothing else has decorators.
  experimentalDecorators: true,
};

export interface SnippetResult {
  snippet: Snippet;
  /** `docs/errors.md:72:12 TS7006 Parameter 'err' implicitly has an 'any' type.` */
  errors: string[];
}

/** Type-checks the snippets (those marked nocheck are left out) in one TypeScript program. */
export function checkSnippets(snippets: readonly Snippet[], root: string = workspaceRoot): SnippetResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'entra-snippets-'));
  try {
    return checkIn(dir, snippets, root);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkIn(dir: string, snippets: readonly Snippet[], root: string): SnippetResult[] {
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  cpSync(join(workspaceRoot, 'packaging', 'snippets', 'files'), dir, { recursive: true });
  linkDependencies(dir, root);
  mkdirSync(join(dir, 'snippets'));
  const checked = snippets.filter((snippet) => !snippet.nocheck);
  const paths = checked.map((snippet, index) => {
    const path = join(
      dir,
      'snippets',
      `${String(index).padStart(3, '0')}-${snippet.file.replace(/[^\w]+/g, '_')}-L${snippet.line}.ts`,
    );
    writeFileSync(path, snippetSource(snippet, root));
    return path;
  });
  // Declaration files among the snippets' files (ambient modules for path aliases) belong to every snippet.
  const ambient = readdirSync(dir)
    .filter((name) => name.endsWith('.d.ts'))
    .map((name) => join(dir, name));
  const program = ts.createProgram([...paths, ...ambient], COMPILER_OPTIONS);
  const byFile = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? '';
    const index = paths.indexOf(file);
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (index === -1) {
      // A problem outside the snippets (options, a missing type package): every snippet fails with it.
      for (const path of paths)
        byFile.set(path, [
          ...(byFile.get(path) ?? []),
          `${file || 'program'}: TS${diagnostic.code} ${message}`,
        ]);
      continue;
    }
    const snippet = checked[index] as Snippet;
    const position = diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0) ?? {
      line: 0,
      character: 0,
    };
    const codeLines = snippet.code.split('\n').length;
    const where =
      position.line < codeLines
        ? `${snippet.file}:${snippet.line + position.line}:${position.character + 1}`
        : `${snippet.file}:${snippet.line} (prelude line ${position.line - codeLines + 1})`;
    byFile.set(file, [...(byFile.get(file) ?? []), `${where} TS${diagnostic.code} ${message}`]);
  }
  return checked.map((snippet, index) => ({ snippet, errors: byFile.get(paths[index] as string) ?? [] }));
}

/** `docs/errors.md:68`: how tests name a snippet. */
export function snippetName(snippet: Snippet): string {
  return `${snippet.file}:${snippet.line}`;
}
