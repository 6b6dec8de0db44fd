/**
 * Cost of the checker on the 4000-neuron docs EINet.
 *
 * Method: one world per variant and per Node process (two worlds in one process run up to 40 % apart through
 * V8's optimisation of shared code, which swamps a cost of a few per cent). Inside that process the same
 * world alternates blocks of ticks with and without `CheckerSystem` in its pipeline (order A B B A, so drifts
 * of the network's activity and of the machine cancel), after a warm-up with the checker on. The cost is
 * Σ time with / Σ time without − 1 over all blocks; the median over processes is reported, with the spread.
 * The same process also times `CheckerSystem` alone, called repeatedly in a tick that scans and in one that
 * does not, and the tick without it: the decomposition cost = (rate part + scan / every) / tick is less
 * noisy on a shared machine than the A/B difference, and the two should agree.
 *
 *   node --import tsx scripts/checker-cost.ts [--blocks 40] [--ticks 500] [--repeats 3]
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { step, addChecker, setPipeline, defaultPipeline, CheckerSystem, type CheckerOptions } from '@spikecs/systems'
import type { World } from '@spikecs/ecs-core'
import { docsEinet } from './einet.js'

const variants: [string, CheckerOptions][] = [
  ['rate only (window 100 ms)', { finite: false }],
  ['finite every 100 + rate (default)', {}],
  ['finite every 10 + rate', { every: 10 }],
  ['finite every 1 + rate', { every: 1 }],
]

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '40' },
    ticks: { type: 'string', default: '500' },
    repeats: { type: 'string', default: '3' },
    variant: { type: 'string' },
  },
})
const blocks = Number(values.blocks),
  ticks = Number(values.ticks)

/** Mean ns of one `CheckerSystem` call with the clock at `tick` (restored afterwards). */
function checkerNs(world: World, tick: number): number {
  const saved = world.tick
  world.tick = tick
  const K = 5000
  const t0 = process.hrtime.bigint()
  for (let k = 0; k < K; k++) CheckerSystem(world)
  world.tick = saved
  return Number(process.hrtime.bigint() - t0) / K
}

function block(world: World): number {
  const t0 = process.hrtime.bigint()
  for (let t = 0; t < ticks; t++) step(world)
  return Number(process.hrtime.bigint() - t0) / 1e9
}

if (values.variant !== undefined) {
  // Child: prints seconds with and without the checker, ticks, and the decomposition.
  const { world } = docsEinet()
  const checker = addChecker(world, variants[Number(values.variant)][1])
  const on = [...defaultPipeline]
  const off = defaultPipeline.filter((s) => s !== CheckerSystem)
  setPipeline(world, on)
  for (let t = 0; t < 3000; t++) step(world)
  let withS = 0,
    withoutS = 0
  for (let b = 0; b < blocks; b++) {
    const first = b % 2 === 0
    setPipeline(world, first ? on : off)
    const x = block(world)
    setPipeline(world, first ? off : on)
    const y = block(world)
    withS += first ? x : y
    withoutS += first ? y : x
  }
  const base = Math.ceil(world.tick / checker.every) * checker.every
  const scanNs = checkerNs(world, base)
  const idleNs = checker.every > 1 ? checkerNs(world, base + 1) : scanNs
  const tickNs = (withoutS / (blocks * ticks)) * 1e9
  const predicted = ((idleNs + (scanNs - idleNs) / checker.every) / tickNs) * 100
  console.log(JSON.stringify({ withS, withoutS, ticks: blocks * ticks, scanNs, idleNs, tickNs, predicted }))
} else {
  const self = fileURLToPath(import.meta.url)
  for (let v = 0; v < variants.length; v++) {
    const costs: number[] = [],
      predicted: number[] = []
    let rate = 0,
      parts = ''
    for (let r = 0; r < Number(values.repeats); r++) {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', self, '--variant', String(v), '--blocks', String(blocks), '--ticks', String(ticks)],
        { encoding: 'utf8' },
      )
      const m = JSON.parse(out) as {
        withS: number
        withoutS: number
        ticks: number
        scanNs: number
        idleNs: number
        tickNs: number
        predicted: number
      }
      costs.push((m.withS / m.withoutS - 1) * 100)
      predicted.push(m.predicted)
      rate = m.ticks / m.withoutS
      parts = `call ${m.idleNs.toFixed(0)} ns, scanning ${m.scanNs.toFixed(0)} ns, tick ${m.tickNs.toFixed(0)} ns`
    }
    costs.sort((a, b) => a - b)
    predicted.sort((a, b) => a - b)
    const f = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)} %`
    console.log(
      `${variants[v][0].padEnd(34)} A/B cost ${f(costs[costs.length >> 1])} (${costs.map(f).join(', ')}); ` +
        `decomposed ${f(predicted[predicted.length >> 1])} (${parts}); ~${rate.toFixed(0)} ticks/s without`,
    )
  }
}
