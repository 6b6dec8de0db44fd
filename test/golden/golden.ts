/**
 * The golden spike record: for every preset, variant, connectivity, kernel and dtype, the `spikeHash`, spike
 * count and synaptic event count of `spikecs run <preset> --variant V --conn C --kernel K --dtype D
 * --duration 500 --seed 7`. `hashes.json` holds the committed record; `child.ts` computes one shard of it in
 * a process of its own; `update.ts` rewrites the file; `test/golden/golden.test.ts` recomputes and compares.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { executeRun, parseCommand } from '@spikecs/cli'
import { presets } from '@spikecs/presets'

export const DURATION_MS = 500
export const SEED = 7
export const HASHES_FILE = fileURLToPath(new URL('./hashes.json', import.meta.url))
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))

export interface Combo {
  readonly preset: string
  readonly variant: string
  readonly conn: string
  readonly kernel: 'wasm' | 'js'
  readonly dtype: 'float32' | 'float64'
}

export interface Entry extends Combo {
  readonly spikeHash: string
  readonly spikes: number
  readonly events: number
}

export interface GoldenFile {
  readonly durationMs: number
  readonly seed: number
  readonly entries: readonly Entry[]
}

/** Every combination, presets in registry order, then variants, connectivities, kernels, dtypes. */
export function combos(): Combo[] {
  const out: Combo[] = []
  for (const [preset, { def }] of Object.entries(presets)) {
    for (const variant of def.variants) {
      for (const conn of def.connectivities) {
        for (const kernel of ['wasm', 'js'] as const) {
          for (const dtype of ['float32', 'float64'] as const) out.push({ preset, variant, conn, kernel, dtype })
        }
      }
    }
  }
  return out
}

export const comboName = (c: Combo): string => `${c.preset} --variant ${c.variant} --conn ${c.conn} --kernel ${c.kernel} --dtype ${c.dtype}`

/** Runs one combination as `spikecs run` would, in this process. */
export function runCombo(c: Combo): Entry {
  const cmd = parseCommand([
    'run',
    c.preset,
    '--variant',
    c.variant,
    '--conn',
    c.conn,
    '--kernel',
    c.kernel,
    '--dtype',
    c.dtype,
    '--duration',
    String(DURATION_MS),
    '--seed',
    String(SEED),
    '--json',
    '--quiet',
  ])
  if (cmd.kind !== 'run') throw new Error(`not a run command: ${comboName(c)}`)
  const r = executeRun(cmd.request)
  return { ...c, spikeHash: r.spikeHash, spikes: r.spikes, events: r.events }
}

/**
 * Computes every combination in `shards` child processes (combination k goes to shard k mod shards, which
 * spreads the slow ones); the entries come back in `combos()` order.
 */
export async function computeAll(shards: number): Promise<Entry[]> {
  const all = combos()
  const parts = await Promise.all(Array.from({ length: shards }, (_, s) => runShard(s, shards)))
  const byName = new Map<string, Entry>()
  for (const part of parts) for (const e of part) byName.set(comboName(e), e)
  return all.map((c) => {
    const e = byName.get(comboName(c))
    if (e === undefined) throw new Error(`no result for ${comboName(c)}`)
    return e
  })
}

function runShard(shard: number, shards: number): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(shard), String(shards)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = '',
      err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`golden shard ${shard}/${shards} exited with ${code}: ${err}`))
      else
        resolve(
          out
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Entry),
        )
    })
  })
}
