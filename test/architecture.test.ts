import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  type AllowedArrow,
  cycleArrows,
  deepImports,
  layers,
  modules,
  upwardImports,
} from './architecture.js';

/**
 * Holds the code to test/architecture.ts: every import of src/ (tests aside: a test may reach into
 * what it tests) is read with the TypeScript compiler's own import scanner, type-only imports
 * included, since a type is a dependency too.
 */
const root = path.resolve(import.meta.dirname, '..');

interface Import {
  from: string;
  to: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

function resolve(from: string, specifier: string): string | undefined {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base, `${base}/index.ts`];
  return candidates.find((candidate) => existsSync(path.join(root, candidate)));
}

function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.flatMap((imported) => {
    if (!imported.fileName.startsWith('.')) return [];
    const to = resolve(file, imported.fileName);
    if (!to) return [];
    const line = text.slice(0, imported.pos).split('\n').length;
    return [{ from: file, to, line }];
  });
}

function matches(file: string, paths: string): boolean {
  return paths.endsWith('/') ? file.startsWith(paths) : file === paths;
}

/** The layer a file belongs to: the most specific path wins (a file named outright over its folder). */
function layerOf(file: string): number {
  let best = -1;
  let bestLength = -1;
  layers.forEach((layer, index) => {
    for (const paths of layer.paths) {
      if (matches(file, paths) && paths.length > bestLength) {
        best = index;
        bestLength = paths.length;
      }
    }
  });
  return best;
}

function moduleOf(file: string): string | undefined {
  return /^src\/modules\/([^/]+)\//.exec(file)?.[1];
}

function allowed(list: AllowedArrow[], from: string, to: string): boolean {
  return list.some((arrow) => matches(from, arrow.from) && matches(to, arrow.to));
}

function where(imported: Import): string {
  return `${imported.from}:${imported.line} imports ${imported.to}`;
}

/** Strongly connected components of more than one module (Tarjan's algorithm). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const files = sourceFiles('src');
const imports = files.flatMap(importsOf);
const moduleImports = imports.flatMap((imported) => {
  const from = moduleOf(imported.from);
  const to = moduleOf(imported.to);
  return from && to && from !== to ? [{ ...imported, fromModule: from, toModule: to }] : [];
});

describe('the architecture (test/architecture.ts)', () => {
  it('places every source file in a layer', () => {
    expect(files.filter((file) => layerOf(file) < 0)).toEqual([]);
  });

  it('has no import from a layer above', () => {
    const upward = imports.filter(
      (imported) =>
        layerOf(imported.to) > layerOf(imported.from) && !allowed(upwardImports, imported.from, imported.to),
    );
    expect(
      upward.map(
        (imported) =>
          `${where(imported)}: ${layers[layerOf(imported.from)]!.name} may not import ${layers[layerOf(imported.to)]!.name}`,
      ),
    ).toEqual([]);
  });

  it('names every module and imports only the modules each one lists', () => {
    const present = readdirSync(path.join(root, 'src/modules'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(Object.keys(modules).sort()).toEqual(present);
    const undeclared = moduleImports.filter(
      (imported) => !modules[imported.fromModule]?.includes(imported.toModule),
    );
    expect(
      undeclared.map(
        (imported) =>
          `${where(imported)}: module ${imported.fromModule} does not list ${imported.toModule} in test/architecture.ts`,
      ),
    ).toEqual([]);
  });

  it('has no import cycle between modules', () => {
    const graph = new Map<string, Set<string>>();
    for (const imported of moduleImports) {
      const isAllowed = cycleArrows.some(
        (arrow) => arrow.from === imported.fromModule && arrow.to === imported.toModule,
      );
      if (isAllowed) continue;
      const targets = graph.get(imported.fromModule) ?? new Set<string>();
      targets.add(imported.toModule);
      graph.set(imported.fromModule, targets);
    }
    expect(cycles(graph).map((cycle) => `import cycle between modules: ${cycle.join(', ')}`)).toEqual([]);
  });

  it('enters a module with an index.ts only through it', () => {
    const doors = new Set(
      Object.keys(modules).filter((name) => existsSync(path.join(root, `src/modules/${name}/index.ts`))),
    );
    const outsiders = imports.filter((imported) => {
      const to = moduleOf(imported.to);
      if (!to || !doors.has(to) || moduleOf(imported.from) === to) return false;
      if (imported.to === `src/modules/${to}/index.ts`) return false;
      // drizzle-kit and the migrations read every module's tables from src/db/schema.ts, which only
      // re-exports them; loading a module's door there would load its whole service graph.
      if (imported.from === 'src/db/schema.ts' && imported.to === `src/modules/${to}/schema.ts`) return false;
      return !deepImports.some(
        (arrow) => matches(imported.from, arrow.from) && matches(imported.to, `src/modules/${arrow.to}/`),
      );
    });
    expect(
      outsiders.map((imported) => `${where(imported)}: import src/modules/${moduleOf(imported.to)}/index.ts`),
    ).toEqual([]);
  });

  it('lists no allowed arrow that the code no longer needs', () => {
    const unused = [
      ...upwardImports
        .filter((arrow) => !imports.some((i) => matches(i.from, arrow.from) && matches(i.to, arrow.to)))
        .map((arrow) => `upward ${arrow.from} → ${arrow.to}`),
      ...cycleArrows
        .filter((arrow) => !moduleImports.some((i) => i.fromModule === arrow.from && i.toModule === arrow.to))
        .map((arrow) => `cycle ${arrow.from} → ${arrow.to}`),
      ...Object.entries(modules).flatMap(([from, targets]) =>
        targets
          .filter((to) => !moduleImports.some((i) => i.fromModule === from && i.toModule === to))
          .map((to) => `module ${from} → ${to}`),
      ),
    ];
    expect(unused).toEqual([]);
  });
});
