/**
 * The worker threads of a world: started when a plan first needs them, handed a new thread spec whenever the
 * plan is rebuilt, stopped by `disposeWorld`. Node runs them as `worker_threads` (unreferenced, so a process
 * whose world was never disposed still exits), a browser as module Web Workers. The worker entry is
 * `threads/worker.js` beside this module (the package export `@spikecs/systems/worker`); a bundler that moves
 * it elsewhere can be told where it is with `setThreadWorkerFactory`.
 */
import { SpikecsError, type World } from '@spikecs/ecs-core'
import { CMD_EXIT, CMD_RELOAD, CTRL, canBlock, signal, sleep } from './control.js'
import type { ThreadSpec } from './spec.js'

/** What spikecs needs of a worker, in Node and in browsers. */
export interface ThreadWorker {
  postMessage(message: unknown): void
  terminate(): unknown
}

/** Makes worker k (1 ≤ k < T) running the worker entry. */
export type ThreadWorkerFactory = (k: number) => ThreadWorker

let factory: ThreadWorkerFactory | null = null

/**
 * Replaces how worker threads are made, e.g. for a bundle that serves the worker entry from its own URL:
 * `setThreadWorkerFactory(() => new Worker(new URL('@spikecs/systems/worker', import.meta.url), { type: 'module' }))`.
 * `null` restores the default.
 */
export function setThreadWorkerFactory(f: ThreadWorkerFactory | null): void {
  factory = f
}

interface NodeWorkerThreads {
  Worker: new (url: URL, options?: object) => ThreadWorker & { unref(): void }
}

function nodeBuiltin<M>(name: string): M | null {
  const p = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process
  return typeof p?.getBuiltinModule === 'function' ? (p.getBuiltinModule(name) as M) : null
}

const workerUrl = (): URL => new URL('./worker.js', import.meta.url)

/**
 * The flags of this process a worker takes: package conditions, source maps and warnings. Others are left
 * out: V8 and process options (heap sizes, `--title`) are refused in workers, `--input-type` breaks the
 * worker's module, and loaders are not needed (the worker entry is plain JavaScript).
 */
export function workerFlags(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let k = 0; k < argv.length; k++) {
    const f = argv[k]
    if (f === '--conditions' || f === '-C') {
      if (k + 1 < argv.length) out.push(f, argv[++k])
    } else if (f.startsWith('--conditions=') || f === '--enable-source-maps' || f === '--no-warnings') out.push(f)
  }
  return out
}

function defaultWorker(): ThreadWorker {
  const wt = nodeBuiltin<NodeWorkerThreads>('node:worker_threads')
  if (wt !== null) {
    const p = (globalThis as { process?: { execArgv?: string[] } }).process
    const w = new wt.Worker(workerUrl(), { execArgv: workerFlags(p?.execArgv ?? []) })
    w.unref()
    return w
  }
  const W = (globalThis as { Worker?: new (url: URL, o: object) => ThreadWorker }).Worker
  if (W === undefined) throw new Error('no worker threads in this host')
  return new W(workerUrl(), { type: 'module' })
}

/** True when this host can run a world on several threads (shared memory and workers). */
export function threadsAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false
  if (factory !== null) return true
  return nodeBuiltin('node:worker_threads') !== null || typeof (globalThis as { Worker?: unknown }).Worker === 'function'
}

/** Cores of this host (Node: `os.availableParallelism`; browsers: `navigator.hardwareConcurrency`). */
export function hostCores(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os')
  if (os !== null) return os.availableParallelism?.() ?? os.cpus().length
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
  return Math.max(1, nav?.hardwareConcurrency ?? 1)
}

export interface Pool {
  readonly T: number
  readonly workers: ThreadWorker[]
  readonly ctrl: Int32Array
  /** The last generation the main thread issued. */
  gen: number
  stopped: boolean
}

/** How long the main thread waits for workers to load or rebuild before giving up (ms). */
const START_TIMEOUT_MS = 30_000

/** Waits until every worker has stored `gen` in its DONE slot (after a (re)load). */
function waitReady(pool: Pool, gen: number): void {
  const block = canBlock(pool.ctrl)
  const t0 = Date.now()
  for (let k = 1; k < pool.T; k++) {
    for (;;) {
      const v = Atomics.load(pool.ctrl, CTRL.DONE + k)
      if (v === gen) break
      if (Date.now() - t0 > START_TIMEOUT_MS) {
        stopPool(pool)
        throw new SpikecsError('world', 'threads', pool.T, `could not start: worker ${k} did not answer within ${START_TIMEOUT_MS} ms`)
      }
      if (block) sleep(pool.ctrl, CTRL.DONE + k, v, 100)
    }
  }
}

/** Starts T − 1 workers on a spec and waits until each has built its share. */
export function startPool(spec: ThreadSpec, ctrl: Int32Array): Pool {
  const workers: ThreadWorker[] = []
  const pool: Pool = { T: spec.T, workers, ctrl, gen: Atomics.load(ctrl, CTRL.GEN), stopped: false }
  for (let k = 1; k < spec.T; k++) {
    const w = factory !== null ? factory(k) : defaultWorker()
    workers.push(w)
    w.postMessage({ spec, t: k, gen: pool.gen })
  }
  waitReady(pool, pool.gen)
  return pool
}

/** Hands the workers a new spec (the plan was rebuilt) and waits until each has rebuilt its share. */
export function reloadPool(pool: Pool, spec: ThreadSpec): void {
  const gen = pool.gen + 1
  for (let k = 1; k < pool.T; k++) pool.workers[k - 1].postMessage({ spec, t: k, gen })
  Atomics.store(pool.ctrl, CTRL.CMD, CMD_RELOAD)
  pool.gen = gen
  signal(pool.ctrl, CTRL.GEN, gen)
  waitReady(pool, gen)
}

/** Stops the workers: they leave their loop, and are terminated. */
export function stopPool(pool: Pool): void {
  if (pool.stopped) return
  pool.stopped = true
  Atomics.store(pool.ctrl, CTRL.CMD, CMD_EXIT)
  pool.gen++
  signal(pool.ctrl, CTRL.GEN, pool.gen)
  for (const w of pool.workers) w.terminate()
}

/** The world's pool, if it has one. */
export function poolOf(world: World): Pool | null {
  return (world.caches.get('threads:pool') as Pool | undefined) ?? null
}
