// Running exported PyNN scripts from tests (test/interop, test/mpi): Debian's interpreter, a temporary folder
// for the scripts and their side files, one command at a time per core, the script's JSON line, and the
// amplitude, peak time and onset of a recorded PSP.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PyNNExport } from '@spikecs/presets'

/** Debian's interpreter, which sees python3-pynn, python3-brian and python3-neuron. */
export const PYTHON = '/usr/bin/python3'

/** The JSON line an exported script prints (on rank 0 under MPI). */
export interface PyResult {
  simulator: string
  ranks?: number
  rates: Record<string, number>
  spikes: number
  buildSeconds: number
  runSeconds: number
  v?: Record<string, number[][]>
  spikeTimes?: Record<string, number[][]>
}

/** A temporary folder (with its own HOME, for Brian2's cache) for scripts and their side files. */
export function scratch(prefix: string): {
  dir: string
  env: NodeJS.ProcessEnv
  write: (name: string, ex: PyNNExport) => string
  remove: () => void
} {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const home = join(dir, 'home')
  mkdirSync(home)
  return {
    dir,
    env: { ...process.env, HOME: home, SPIKECS_BRIAN2_TARGET: 'numpy' },
    write(name, ex) {
      const path = join(dir, name)
      writeFileSync(path, ex.script)
      if (ex.data !== null && ex.dataFile !== null) writeFileSync(join(dir, ex.dataFile), ex.data)
      return path
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/**
 * Runs a command that ends with an exported script's JSON line; resolves with that line, the number of JSON
 * lines printed (1: only one process printed) and the wall time. A non-zero exit code rejects.
 */
export function runJson(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ result: PyResult; jsonLines: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = '',
      err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${err.slice(-3000)}`))
        return
      }
      const json = out.split('\n').filter((line) => line.startsWith('{'))
      if (json.length === 0) {
        reject(new Error(`${command} ${args.join(' ')} printed no JSON line:\n${out.slice(-2000)}\n${err.slice(-2000)}`))
        return
      }
      resolve({ result: JSON.parse(json[json.length - 1]) as PyResult, jsonLines: json.length, seconds: (performance.now() - t0) / 1000 })
    })
  })
}

/** Runs tasks with at most `n` at a time (the machines have two cores). */
export async function pool<T>(tasks: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const k = next++
      out[k] = await tasks[k]()
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker))
  return out
}

/** Amplitude and time of the extremum of a PSP (parabola through the three samples around it). */
export function peakOf(v: ArrayLike<number>, rest: number, tFirst: number, dt: number, sign: number): { amp: number; t: number } {
  let i = 0
  for (let k = 1; k < v.length; k++) if (sign * (v[k] - v[i]) > 0) i = k
  const a = sign * (v[i - 1] - rest),
    b = sign * (v[i] - rest),
    c = sign * (v[i + 1] - rest)
  const d = (0.5 * (a - c)) / (a - 2 * b + c)
  return { amp: sign * (b - 0.25 * (a - c) * d), t: tFirst + (i + d) * dt }
}

/** Time of the first sample that departs from rest. */
export function onsetOf(v: ArrayLike<number>, rest: number, tFirst: number, dt: number): number {
  for (let k = 0; k < v.length; k++) if (Math.abs(v[k] - rest) > 1e-9) return tFirst + k * dt
  return Infinity
}
