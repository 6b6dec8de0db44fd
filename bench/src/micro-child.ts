/**
 * Child process entry for the microbenchmarks: builds the scenarios of one group, runs the one named (or all
 * of the group) with benchmark.js, prints one JSON line per scenario with the raw timings of every round.
 * `pnpm bench` gives each scenario fresh processes, so that the JIT state of one never shapes another's figures.
 *
 *   node bench/dist/micro-child.js --scenario neuron-LifRef-fused [--rounds 5] [--max-time 0.4]
 */
import { parseArgs } from 'node:util'
import { emit } from './lib/child.js'
import { runScenario } from './lib/micro.js'
import { scenarioGroups } from './scenarios.js'

const { values: a } = parseArgs({
  options: {
    scenario: { type: 'string' },
    group: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    'max-time': { type: 'string', default: '0.4' },
    'min-time': { type: 'string', default: '0.01' },
  },
})
const group = a.group ?? a.scenario?.split('-')[0]
try {
  const build = group !== undefined ? scenarioGroups[group] : undefined
  if (build === undefined) throw new Error(`unknown group '${group}' (known: ${Object.keys(scenarioGroups).join(', ')})`)
  const list = build().filter((s) => a.scenario === undefined || s.id === a.scenario)
  if (list.length === 0) throw new Error(`no scenario '${a.scenario}' in group '${group}'`)
  for (const s of list) {
    const r = runScenario(s, { rounds: Number(a.rounds), maxTime: Number(a['max-time']), minTime: Number(a['min-time']) })
    emit({ kind: 'micro-raw', ...r })
  }
} catch (e) {
  emit({ kind: 'micro-raw', id: a.scenario ?? group, error: (e as Error).stack ?? String(e) })
  process.exitCode = 1
}
