#!/usr/bin/env node
// The consumer test (`pnpm test:consumer`): spikecs as a user gets it, outside the workspace. It does what the
// README's section "Use spikecs in your own project" says, reading its commands from the README itself:
//   1. in a temporary folder, the `install` block: pack the four packages (clean build) and `npm install`
//      the tarballs into a fresh npm project (no workspace, no pnpm), with typescript, tsx and esbuild;
//   2. writes the section's tsconfig.json and each example of EXAMPLES as a .ts file (the first is main.ts);
//   3. the `use` block, line by line: strict `tsc` over every example, `tsx main.ts`, the esbuild browser
//      bundle, `npx spikecs run --duration 100`;
//   4. every other example with `tsx`;
//   5. serves the bundle with the section's index.html and opens it in Chromium (playwright-core, installed
//      with --no-save as the test's own tool): the page must print what Node printed, with no error;
//   6. the section's threaded page (its `threads` block bundles sim-worker.ts and the thread runtime's entry),
//      served cross-origin isolated: its worker must count the same spikes on 2 threads as on 1.
// Needs the npm registry; Chromium at /usr/bin/chromium (or CHROMIUM_PATH): without it step 5 is skipped with a
// notice, except under CI where it fails. Prints the bundle size and each step's time; exits non-zero on failure.
// SPIKECS_KEEP=1 keeps the temporary folder.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * The examples run in the consumer project: the document, the marker before its ```ts block, and the file it
 * is saved as. The first is the README's own `main.ts` (also bundled for the browser).
 */
const EXAMPLES = [
  { doc: 'README.md', marker: '## Build a network yourself', file: 'main.ts' },
  { doc: 'README.md', marker: '## Presets and the `spikecs` command', file: 'readme-presets.ts' },
  { doc: 'docs/demo.md', marker: '<!-- example: game-loop', file: 'demo-game-loop.ts' },
  { doc: 'docs/ecs.md', marker: '<!-- example: homeostasis', file: 'ecs-homeostasis.ts' },
  { doc: 'docs/ecs.md', marker: '<!-- example: spike-buffer', file: 'ecs-spike-buffer.ts' },
  { doc: 'docs/ecs.md', marker: '<!-- example: stdp', file: 'ecs-stdp.ts' },
  { doc: 'docs/ecs.md', marker: '<!-- example: state-probe', file: 'ecs-state-probe.ts' },
  { doc: 'packages/ecs-core/README.md', marker: '# @spikecs/ecs-core', file: 'ecs-core-readme.ts' },
  { doc: 'packages/systems/README.md', marker: '# @spikecs/systems', file: 'systems-readme.ts' },
  { doc: 'packages/presets/README.md', marker: '# @spikecs/presets', file: 'presets-readme.ts' },
]

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/**
 * Run inside the consumer project (so `playwright-core` resolves from there): serves the folder on loopback,
 * opens it in Chromium, prints the page's first console.log line; fails on any console error or page error.
 */
const PAGE_TEST = `
import { chromium } from 'playwright-core'
const { startStaticServer } = await import(process.env.SPIKECS_STATIC_SERVER)
const [dir, executablePath, flags, file, isolated] = process.argv.slice(2)
const server = await startStaticServer(dir, { isolated: isolated === 'isolated' })
const browser = await chromium.launch({ executablePath, args: JSON.parse(flags) })
try {
  const page = await browser.newPage()
  const problems = []
  page.on('pageerror', (e) => problems.push('page error: ' + e.message))
  const line = new Promise((resolve) => page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push('console ' + m.type() + ': ' + m.text())
    else if (m.type() === 'log') resolve(m.text())
  }))
  await page.goto(new URL(file, server.url).href)
  let timer
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('no console line in 120 s')), 120_000) })
  const text = await Promise.race([line, timeout]).finally(() => clearTimeout(timer))
  if (problems.length > 0) throw new Error(problems.join('\\n'))
  console.log(text)
} finally {
  await browser.close()
  await server.close()
}
`

const t0 = performance.now()
const seconds = (t) => ((performance.now() - t) / 1000).toFixed(1)

function fail(message) {
  console.error(`consumer test FAILED: ${message}`)
  process.exit(1)
}

/** The first fenced block of `lang` after `marker` in a document of the repository. */
function block(doc, marker, lang) {
  const text = readFileSync(join(root, doc), 'utf8')
  const at = text.indexOf(marker)
  if (at < 0) fail(`${doc} has no ${JSON.stringify(marker)}`)
  const start = text.indexOf(`\`\`\`${lang}\n`, at)
  if (start < 0) fail(`${doc}: no \`\`\`${lang} block after ${JSON.stringify(marker)}`)
  const body = start + lang.length + 4
  return text.slice(body, text.indexOf('```', body))
}

const section = (name, lang) => block('README.md', `<!-- consumer: ${name}`, lang)

/** Runs a shell command in `cwd`; returns its stdout; fails the test on a non-zero exit. */
function sh(command, cwd, env = {}) {
  const t = performance.now()
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', command], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false', ...env },
    maxBuffer: 64 << 20,
  })
  const shown = command
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
  console.log(`$ ${shown.map((l) => l.replace(/\s+#.*$/, '')).join('\n$ ')}   (${seconds(t)} s)`)
  if (r.status !== 0) fail(`exit ${r.status} from:\n${command}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`)
  return r.stdout
}

const tmp = mkdtempSync(join(tmpdir(), 'spikecs-consumer-'))
try {
  // 1. Pack and install, as the README says.
  sh(section('install', 'sh'), tmp, { SPIKECS: root })
  const project = join(tmp, 'my-net')
  const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'))
  if (pkg.type !== 'module') fail(`the project's type is ${pkg.type}`)
  for (const p of ['ecs-core', 'systems', 'presets', 'cli']) {
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', '@spikecs', p, 'package.json'), 'utf8'))
    for (const [dep, range] of Object.entries(installed.dependencies ?? {})) {
      if (range.startsWith('workspace:')) fail(`@spikecs/${p} depends on ${dep}@${range}`)
    }
    for (const f of ['README.md', 'LICENSE']) {
      if (!existsSync(join(project, 'node_modules', '@spikecs', p, f))) fail(`@spikecs/${p} was installed without ${f}`)
    }
  }
  if (existsSync(join(project, 'node_modules', 'buffer'))) fail('the install pulled the `buffer` polyfill')

  // 2. tsconfig.json and the examples (sim-worker.ts, the threaded page's worker, is type-checked with them).
  writeFileSync(join(project, 'tsconfig.json'), section('tsconfig.json', 'json'))
  for (const e of EXAMPLES) writeFileSync(join(project, e.file), block(e.doc, e.marker, 'ts'))
  writeFileSync(join(project, 'sim-worker.ts'), section('sim-worker.ts', 'ts'))

  // 3. The README's commands, one at a time, each output kept.
  const outputs = new Map()
  for (const line of section('use', 'sh').split('\n')) {
    const command = line.replace(/\s+#.*$/, '').trim()
    if (command !== '' && !command.startsWith('#')) outputs.set(command, sh(command, project))
  }
  // The README shows what main.ts prints, as the comment of its line.
  const shown = /npx tsx main\.ts +# (.*)/.exec(section('use', 'sh'))?.[1].trim()
  const nodeLine = outputs.get('npx tsx main.ts')?.trim()
  if (nodeLine !== shown) fail(`tsx main.ts printed ${JSON.stringify(nodeLine)}, the README says ${JSON.stringify(shown)}`)
  const cliOut = outputs.get('npx spikecs run --duration 100') ?? ''
  if (!/ticks +1000 \(100 ms at dt 0\.1 ms\)/.test(cliOut) || !/rate E +\d/.test(cliOut)) fail(`npx spikecs run printed:\n${cliOut}`)

  // 4. The other examples.
  for (const e of EXAMPLES.slice(1)) {
    const out = sh(`npx tsx ${e.file}`, project)
    if (out.trim() === '') fail(`${e.doc} (${e.file}) printed nothing`)
  }

  // The bundle: no Node module inside, and its size.
  const bundle = readFileSync(join(project, 'public', 'main.js'))
  const text = bundle.toString('utf8')
  for (const bad of ['__TYPEDARRAY_POOL', 'require("buffer")', 'node:']) {
    if (text.includes(bad)) fail(`the browser bundle contains ${JSON.stringify(bad)}`)
  }
  const kb = (n) => (n / 1024).toFixed(1)
  console.log(
    `browser bundle of main.ts: ${bundle.length} B (${kb(bundle.length)} KiB) minified, ` +
      `${gzipSync(bundle, { level: 9 }).length} B (${kb(gzipSync(bundle, { level: 9 }).length)} KiB) gzipped (level 9)`,
  )

  // 5. The page in Chromium (and 6. the threaded page).
  mkdirSync(join(project, 'public'), { recursive: true })
  writeFileSync(join(project, 'public', 'index.html'), section('public/index.html', 'html'))
  writeFileSync(join(project, 'public', 'threads.html'), section('public/threads.html', 'html'))
  for (const line of section('threads', 'sh').split('\n')) if (line.trim() !== '') sh(line, project)
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) fail(`no Chromium at ${CHROMIUM} although CI installs it`)
    console.log(`browser step not run: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`)
  } else {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies['playwright-core']
    sh(`npm install --no-save playwright-core@${version}`, project)
    const pageTest = join(project, 'page-test.mjs')
    writeFileSync(pageTest, PAGE_TEST)
    /** The first console line of a page of public/ in Chromium. */
    const open = (file, isolated) => {
      const t = performance.now()
      const args = [pageTest, join(project, 'public'), CHROMIUM, JSON.stringify(FLAGS), file, isolated ? 'isolated' : '']
      const r = spawnSync(process.execPath, args, {
        cwd: project,
        encoding: 'utf8',
        env: { ...process.env, SPIKECS_STATIC_SERVER: join(root, 'demo', 'static-server.mjs') },
      })
      if (r.status !== 0) fail(`the page ${file} in Chromium:\n${r.stdout}\n${r.stderr}`)
      const line = r.stdout.trim()
      console.log(`Chromium, ${file}: ${line}   (${seconds(t)} s)`)
      return line
    }
    const browserLine = open('index.html', false)
    if (browserLine !== nodeLine) fail(`the page printed ${JSON.stringify(browserLine)}, Node ${JSON.stringify(nodeLine)}`)
    // The README shows the threaded page's line; the count must be the same on 1 and on 2 threads.
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const shownThreads = /prints\s+`(threads 1: \d+ spikes, threads 2: \d+ spikes)`/.exec(readme)?.[1]
    const threadedLine = open('threads.html', true)
    const counts = /^threads 1: (\d+) spikes, threads 2: (\d+) spikes$/.exec(threadedLine)
    if (counts === null || counts[1] !== counts[2]) fail(`the threaded page printed ${JSON.stringify(threadedLine)}`)
    if (threadedLine !== shownThreads)
      fail(`the threaded page printed ${JSON.stringify(threadedLine)}, the README says ${JSON.stringify(shownThreads)}`)
  }
  console.log(`consumer test passed in ${seconds(t0)} s`)
} finally {
  if (process.env.SPIKECS_KEEP) console.log(`kept ${tmp}`)
  else rmSync(tmp, { recursive: true, force: true })
}
