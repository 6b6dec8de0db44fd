// Hostile names in the PyNN export: names, labels and file names written into the script must stay data. The
// same network is exported once with plain names and once with hostile ones (quotes, backslashes, `#`, triple
// quotes, line breaks, Unicode line separators, bidirectional overrides); Python's `ast` must find the same
// statements in both (every string constant set aside), the hostile strings must come back as string constants
// exactly, and no character other than `\n` may break a line anywhere in the script. Names with line breaks are
// refused at construction (test/systems/catalogue.test.ts); here they are put into the records afterwards, so the
// exporter's escaping is tested on its own. Needs a Python 3 (`/usr/bin/python3`, else `python3`) for `ast`.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWorld, type World } from '@spikecs/ecs-core'
import {
  addInput,
  addPopulation,
  addProjection,
  COBA,
  EventCSRLinear,
  Expon,
  FromList,
  FullProjAlignPost,
  LifRefLTC,
} from '@spikecs/systems'
import { exportPyNN, type PyNNExportOptions } from '@spikecs/presets'
import { cli } from '@spikecs/cli'

const PWNED = 'E\nimport os; os.system("echo PWNED")\nX'
/** Hostile strings that names may hold (no control characters, no line separators). */
const ALLOWED = ['E"""; import os #', "I'''\\", 'P\\N{', "#\"\\\"'''", 'Q\u202eevil\u200b', 'R %s {0} \\x41']
/** Hostile strings with line breaks: refused as names, but possible in options (group names, title, files). */
const BREAKING = [PWNED, 'G\u2028import os\u2029#', 'H\r\n"""\nimport os\n"""', 'J\u0085\u000bK\u001c']

/** Two populations, an input per neuron, two projections (FromList, so the arrays do not depend on the names). */
function network(names: readonly string[]): World {
  const world = createWorld({ seed: 1 })
  const lif = (name: string) =>
    addPopulation(world, name, LifRefLTC({ size: 3, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: [-60, -55, -52] }))
  const A = lif('A'),
    B = lif('B')
  addInput(world, A, [1, 2, 3], 'inA')
  const list = EventCSRLinear({ conn: FromList({ pre: [0, 1, 2], post: [2, 1, 0] }), weight: 0.5 })
  addProjection(world, 'AB', FullProjAlignPost({ pre: A, post: B, comm: list, syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }))
  addProjection(
    world,
    'BA',
    FullProjAlignPost({
      pre: B,
      post: A,
      comm: EventCSRLinear({ conn: FromList({ pre: [0, 1], post: [1, 2] }), weight: 1 }),
      syn: Expon({ tau: 10 }),
      out: COBA({ E: -80 }),
    }),
  )
  // The records' names, as a world built before names were checked could hold them.
  const records = [...world.components.Population.list, ...world.components.Projection.list]
  records.forEach((r, k) => ((r as { name: string }).name = names[k]))
  return world
}

/** A hostile text as a file name: no folder separators (the side file must sit next to the script). */
const fileName = (text: string) => text.replace(/[\\/]/g, '')

function options(names: readonly string[], group: string, text: string, file: 'inline' | 'file'): PyNNExportOptions {
  return {
    durationMs: 10,
    recordV: [names[0]],
    spikeTimes: true,
    title: text,
    scriptName: `${fileName(text)}.py`,
    dataFile: `${fileName(text)}.npz`,
    data: file,
    groups: [
      { name: group, start: 0, size: 4 },
      { name: names[1], start: 4, size: 2 },
    ],
  }
}

const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['--version']).status === 0)

/** For each script: its statements with every string constant replaced, its string constants, and whether
 * Python's splitlines (which also breaks at \r, \v, \f, \x1c–\x1e, \x85, U+2028, U+2029) sees only `\n` lines. */
function analyse(scripts: string[]): { shape: string[]; strings: string[]; onlyNewlines: boolean }[] {
  const code = [
    'import ast, json, sys',
    'out = []',
    'for src in json.load(sys.stdin):',
    '    tree = ast.parse(src)',
    '    strings = sorted({n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)})',
    '    for n in ast.walk(tree):',
    '        if isinstance(n, ast.Constant) and isinstance(n.value, str):',
    '            n.value = "S"',
    '    lines = src.split("\\n")',
    '    out.append({"shape": [ast.dump(s) for s in tree.body], "strings": strings,',
    '                "onlyNewlines": all(len(line.splitlines()) <= 1 and not line.endswith(("\\r", "\\x0b", "\\x0c")) for line in lines)})',
    'print(json.dumps(out))',
  ].join('\n')
  const r = spawnSync(PYTHON!, ['-c', code], { input: JSON.stringify(scripts), encoding: 'utf8', maxBuffer: 1 << 26 })
  assert.is(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

/** Characters other than `\n` that some reader takes for a line break. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters the test looks for
const LINE_BREAKERS = /[\r\v\f\u001c-\u001e\u0085\u2028\u2029]/

test('the exporter writes hostile names, labels and file names as data: same statements, exact strings, one kind of line break', () => {
  const plainNames = ['A', 'B', 'AB', 'BA']
  const cases: [string[], string, string][] = [
    [[ALLOWED[0], ALLOWED[1], ALLOWED[2], ALLOWED[3]], ALLOWED[4], ALLOWED[5]],
    [[PWNED, BREAKING[1], BREAKING[2], BREAKING[3]], BREAKING[0], BREAKING[2]],
    [[ALLOWED[4], PWNED, ALLOWED[5], BREAKING[1]], BREAKING[3], ALLOWED[0]],
  ]
  for (const file of ['inline', 'file'] as const) {
    const plain = exportPyNN(network(plainNames), options(plainNames, 'G', 'net', file)).script
    const hostile = cases.map(([names, group, text]) => ({
      names,
      group,
      text,
      ex: exportPyNN(network(names), options(names, group, text, file)),
    }))
    for (const h of hostile) {
      const bad = LINE_BREAKERS.exec(h.ex.script)
      assert.ok(bad === null, `a raw U+${bad?.[0].charCodeAt(0).toString(16)} in the script of ${JSON.stringify(h.names)}`)
      assert.not.match(h.ex.script, '\nimport os;', 'the payload is not a line of the script')
      if (file === 'file') assert.is(h.ex.dataFile, `${fileName(h.text)}.npz`)
    }
    if (PYTHON === undefined) {
      console.log('  (no Python 3 found: the ast part of this test did not run)')
      continue
    }
    const [ref, ...got] = analyse([plain, ...hostile.map((h) => h.ex.script)])
    assert.ok(ref.onlyNewlines)
    got.forEach((g, k) => {
      const h = hostile[k]
      assert.ok(g.onlyNewlines, `line breaks other than \\n in the script of ${JSON.stringify(h.names)}`)
      assert.equal(g.shape, ref.shape, `the statements of the script of ${JSON.stringify(h.names)} (${file})`)
      for (const s of [...h.names, h.group, ...(file === 'file' ? [`${fileName(h.text)}.npz`] : [])]) {
        assert.ok(g.strings.includes(s), `${JSON.stringify(s)} is a string constant of the script, exactly`)
      }
    })
  }
})

test('spikecs export pynn --out with a hostile file name: the script still holds only its own statements', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spikecs-names-'))
  try {
    const out = join(dir, 'a"""\nimport os; os.system("echo PWNED")\n#\u2028.py')
    let stderr = ''
    const code = cli(['export', 'pynn', 'coba', '--scale', '0.1', '--duration', '10', '--out', out], {
      stdout: { write: () => {} },
      stderr: { write: (t: string) => (stderr += t), isTTY: false } as never,
    })
    assert.is(code, 0, stderr)
    assert.ok(existsSync(out.replace(/\.py$/, '.npz')))
    const script = readFileSync(out, 'utf8')
    assert.ok(!LINE_BREAKERS.test(script))
    const plain = join(dir, 'net.py')
    assert.is(
      cli(['export', 'pynn', 'coba', '--scale', '0.1', '--duration', '10', '--out', plain], {
        stdout: { write: () => {} },
        stderr: { write: () => {}, isTTY: false } as never,
      }),
      0,
    )
    if (PYTHON === undefined) return
    const [ref, got] = analyse([readFileSync(plain, 'utf8'), script])
    assert.ok(got.onlyNewlines)
    assert.equal(got.shape, ref.shape)
    assert.ok(got.strings.includes('a"""\nimport os; os.system("echo PWNED")\n#\u2028.npz'), 'DATA_FILE is the side file, exactly')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
