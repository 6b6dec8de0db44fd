// The packages' import graph has no cycle. Every import and re-export of the TypeScript sources under
// packages/*/src (type-only ones too: a cycle of types is a tangle of layers all the same) is an edge from the
// importing file to the imported one; `@spikecs/<name>` stands for that package's src/index.ts. The cycles are
// the strongly connected components of more than one file (or a file importing itself), found by Tarjan's
// algorithm; a cycle listed below as known must go too, and the list fails the test once it names a cycle that
// no longer exists.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const PACKAGES = ['ecs-core', 'systems', 'presets', 'cli']

/** Cycles that exist today and are to be removed, each as its files (relative to the root), sorted. */
const KNOWN_CYCLES: string[][] = []

/** `import … from 'x'`, `import type …`, `export … from 'x'` at the start of a line (bindings may span lines). */
const STATIC =
  /^(?:import|export)\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\}|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)\s+from\s+['"]([^'"]+)['"]/gm
/** `import 'x'` (for its side effects) and `import('x')`. */
const BARE = /^import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm

/** The module specifiers a source imports. */
export function specifiers(source: string): string[] {
  const out: string[] = []
  for (const m of source.matchAll(STATIC)) out.push(m[1])
  for (const m of source.matchAll(BARE)) out.push(m[1] ?? m[2])
  return out
}

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f))
}

/** File → files it imports (relative imports and the workspace packages; other packages are leaves). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const p of PACKAGES) {
    for (const file of sources(join(root, 'packages', p, 'src'))) {
      const deps: string[] = []
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        let target: string | null = null
        if (spec.startsWith('.')) target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'))
        else if (spec.startsWith('@spikecs/')) target = join(root, 'packages', spec.slice('@spikecs/'.length), 'src', 'index.ts')
        if (target === null) continue
        assert.ok(existsSync(target), `${relative(root, file)} imports ${spec}, which is not a source file`)
        deps.push(target)
      }
      graph.set(file, deps)
    }
  }
  return graph
}

/** Strongly connected components with a cycle (Tarjan), each as its sorted file list. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!))
      }
    }
    if (low.get(v) !== index.get(v)) return
    const component: string[] = []
    let w: string
    do {
      w = stack.pop()!
      onStack.delete(w)
      component.push(w)
    } while (w !== v)
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort())
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return found
}

test('the import parser sees every form of import, across lines, and nothing in comments', () => {
  const src = [
    'import { a,',
    "  b } from './one.js'",
    "import type { T } from '../two.js'",
    "import * as ns from './three.js'",
    "import d, { e } from './four.js'",
    "export * from './five.js'",
    "export { f, type G } from './six.js'",
    "import './seven.js'",
    "const m = await import('./eight.js')",
    " * import { x } from './comment.js'",
    "// import y from './comment2.js'",
    "const s = 'not from here'",
  ].join('\n')
  assert.equal(specifiers(src), ['./one.js', '../two.js', './three.js', './four.js', './five.js', './six.js', './seven.js', './eight.js'])
})

test('the cycle finder finds a cycle, a self-import and nothing in a tree', () => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
    ['e', ['e']],
    ['f', ['d']],
  ])
  assert.equal(
    cycles(g)
      .map((c) => c.join(' '))
      .sort(),
    ['a b c', 'e'],
  )
  assert.equal(
    cycles(
      new Map([
        ['a', ['b', 'c']],
        ['b', ['c']],
        ['c', []],
      ]),
    ),
    [],
  )
})

test('the packages import each other without a cycle (beyond the known one, which must still exist)', () => {
  const graph = importGraph()
  const edges = [...graph.values()].reduce((n, d) => n + d.length, 0)
  assert.ok(graph.size > 80 && edges > 200, `${graph.size} files, ${edges} imports: the walk missed the sources`)
  const rel = (c: string[]) => c.map((f) => relative(root, f).split('\\').join('/'))
  const found = cycles(graph).map(rel)
  const key = (c: string[]) => c.join(' <-> ')
  const known = new Set(KNOWN_CYCLES.map(key))
  const unexpected = found.filter((c) => !known.has(key(c)))
  assert.equal(unexpected.map(key), [], 'import cycles')
  const gone = KNOWN_CYCLES.filter((c) => !found.some((f) => key(f) === key(c)))
  assert.equal(gone.map(key), [], 'known cycles that no longer exist: remove them from KNOWN_CYCLES')
})

test.run()
