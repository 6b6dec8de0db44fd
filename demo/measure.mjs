#!/usr/bin/env node
// Real-time factor of the demo's networks in headless Chromium (the page playing at full speed, the raster
// drawn as every frame arrives) next to the same network run in Node, in one process, alternating.
//   node measure.mjs [--seconds S] [--rounds R] [--isolated] [--threads N] [network ...]
//   (default: einet coba, 8 s, 2 rounds, served without COOP/COEP; --isolated serves the page cross-origin
//   isolated, where it runs on 2 threads unless --threads says otherwise)
// Needs `pnpm build` at the root and Debian's chromium (CHROMIUM_PATH to use another binary).
import { chromium } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildPreset } from '@spikecs/presets'
import { run, step } from '@spikecs/systems'
import { buildDemo } from './build.mjs'
import { startStaticServer } from './static-server.mjs'

const args = process.argv.slice(2)
const opt = (name, def) => {
  const k = args.indexOf(name)
  return k >= 0 ? Number(args[k + 1]) : def
}
const seconds = opt('--seconds', 8)
const rounds = opt('--rounds', 2)
const isolated = args.includes('--isolated')
const threads = opt('--threads', null)
const valued = ['--seconds', '--rounds', '--threads']
const networks = args.filter((a, i) => !a.startsWith('--') && !valued.includes(args[i - 1]))
const NETS = { einet: ['einet', 1], coba: ['coba', 1], cuba: ['cuba', 1], einet4: ['einet', 4], song2000: ['song2000', 1] }
const chosen = networks.length > 0 ? networks : ['einet', 'coba']

/** Node: ticks per wall second of the same network after a warm-up, with no monitor (as the page). */
function nodeRtf(id) {
  const [preset, scale] = NETS[id]
  const net = buildPreset(preset, { seed: 1, scale, record: false })
  run(net.world, 200)
  const t0 = performance.now()
  let ticks = 0
  while (performance.now() - t0 < seconds * 1000) {
    for (let k = 0; k < 100; k++) step(net.world)
    ticks += 100
  }
  const wall = performance.now() - t0
  return (ticks * net.world.dtMs) / wall
}

const dir = await mkdtemp(join(tmpdir(), 'spikecs-measure-'))
await buildDemo({ outdir: dir })
const server = await startStaticServer(dir, { isolated })
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
})
const page = await browser.newPage({ viewport: { width: 960, height: 790 } })

/** Browser: the page playing at its top speed; biological time per wall time over `seconds`. */
async function browserRtf(id) {
  await page.goto(`${server.url}?test&network=${id}&seed=1&speed=20${threads === null ? '' : `&threads=${threads}`}`)
  const info = await page.evaluate(() => window.__spikecs.ready())
  await page.click('#play')
  await page.waitForTimeout(1500)
  const a = await page.evaluate(() => [window.__spikecs.stats().tick, performance.now()])
  await page.waitForTimeout(seconds * 1000)
  const b = await page.evaluate(() => [window.__spikecs.stats().tick, performance.now(), window.__spikecs.litPixels()])
  await page.click('#play')
  // Compute alone, in the worker, no drawing: 2000 ticks.
  const c = await page.evaluate(() => window.__spikecs.runTicks(2000))
  return {
    rtf: ((b[0] - a[0]) * info.dtMs) / (b[1] - a[1]),
    computeRtf: (2000 * info.dtMs) / c.computeMs,
    shared: info.sharedMemory,
    threads: info.threads,
    lit: b[2],
  }
}

const rows = []
for (let r = 0; r < rounds; r++) {
  for (const id of chosen) {
    const web = await browserRtf(id)
    const node = nodeRtf(id)
    rows.push({
      round: r + 1, network: id, browser: +web.rtf.toFixed(3), browserComputeOnly: +web.computeRtf.toFixed(3),
      node: +node.toFixed(3), ratio: +(web.rtf / node).toFixed(3), sharedMemory: web.shared, threads: web.threads,
    })
    console.log(JSON.stringify(rows[rows.length - 1]))
  }
}
await browser.close()
await server.close()
await rm(dir, { recursive: true, force: true })
console.table(rows)
