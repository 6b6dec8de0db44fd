/**
 * Child process entry: runs one preset (see run-preset.ts) and prints one JSON line. Used by the end-to-end
 * part of `pnpm bench`, by `pnpm bench:scale` (one size per process, so that each peak RSS is its own) and by
 * `pnpm bench:peers`.
 *
 *   node bench/dist/network/child.js --preset coba --conn csr --kernel wasm --scale 1 --ms 1000 [--record] [--breakdown-ms 200]
 *   node bench/dist/network/child.js --floor     (peak RSS of a process that loaded spikecs and built nothing)
 */
import { parseArgs } from 'node:util'
import { emit } from '../lib/child.js'
import { runPreset } from './run-preset.js'

const { values: a } = parseArgs({
  options: {
    preset: { type: 'string', default: 'coba' },
    variant: { type: 'string' },
    conn: { type: 'string', default: 'csr' },
    kernel: { type: 'string', default: 'wasm' },
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    ms: { type: 'string', default: '1000' },
    record: { type: 'boolean', default: false },
    'breakdown-ms': { type: 'string', default: '0' },
    floor: { type: 'boolean', default: false },
  },
})

try {
  if (a.floor) {
    emit({ kind: 'spikecs-floor', peakRssMiB: process.resourceUsage().maxRSS / 1024 })
    process.exit(0)
  }
  const r = runPreset({
    preset: a.preset!,
    variant: a.variant,
    conn: a.conn as 'csr' | 'jit',
    kernel: a.kernel as 'js' | 'wasm',
    scale: Number(a.scale),
    seed: Number(a.seed),
    durationMs: Number(a.ms),
    record: a.record!,
    breakdownMs: Number(a['breakdown-ms']),
  })
  emit({ kind: 'spikecs-run', ...r })
} catch (e) {
  emit({ kind: 'spikecs-run', error: (e as Error).stack ?? String(e) })
  process.exitCode = 1
}
