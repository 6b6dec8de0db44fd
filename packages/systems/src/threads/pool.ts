/**
 * The worker threads of a world: started when a plan first needs them, handed a new thread spec whenever the
 * plan is rebuilt, stopped by `disposeWorld`. Node runs them as `worker_threads` (unreferenced, so a process
 * whose world was never disposed still exits), a browser as module Web Workers. The worker entry is
 * `threads/worker.js` beside this module (the package export `@spikecs/systems/worker`); a bundler that moves
 * it elsewhere can be told where it is with `setThreadWorkerFactory`.
 *
 * A browser starts a worker, and delivers what `Worker.postMessage` sent it, only once the creating thread
 * returns to its event loop, while a plan is built synchronously; messages on a `MessagePort` do get through
 * while the sender waits. So in a browser the workers are started ahead with `await prepareThreads(n)`: each
 * is handed a port, answers on it once loaded, and takes every later message from it.
 */
import { MAX_THREADS, SpikecsError, type World } from '@spikecs/ecs-core'
import { CMD_EXIT, CMD_RELOAD, CTRL, canBlock, signal, sleep } from './control.js'
import type { ThreadSpec } from './spec.js'

/** What spikecs needs of a worker, in Node and in browsers. */
export interface ThreadWorker {
  postMessage(message: unknown, transfer?: unknown[]): void
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

/** A Node built-in module by its bare name (a browser bundle then holds no `node:` specifier), else null. */
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

/** True in Node (worker_threads); false in a browser, whose workers must be started ahead (`prepareThreads`). */
function inNode(): boolean {
  return nodeBuiltin('worker_threads') !== null
}

function defaultWorker(): ThreadWorker {
  const wt = nodeBuiltin<NodeWorkerThreads>('worker_threads')
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
  return nodeBuiltin('worker_threads') !== null || typeof (globalThis as { Worker?: unknown }).Worker === 'function'
}

/** Cores of this host (Node: `os.availableParallelism`; browsers: `navigator.hardwareConcurrency`). */
export function hostCores(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('os')
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

/**
 * Starts T − 1 workers on a spec (those `prepareThreads` started first) and waits until each has built its
 * share. In a browser every worker must have been prepared.
 */
export function startPool(spec: ThreadSpec, ctrl: Int32Array): Pool {
  if (prepared.length < spec.T - 1 && !inNode()) {
    throw new SpikecsError(
      'world',
      'threads',
      spec.T,
      `in a browser needs its workers started ahead: \`await prepareThreads(${spec.T})\` before the world's first step ` +
        `(${prepared.length} of ${spec.T - 1} prepared)`,
    )
  }
  const workers: ThreadWorker[] = []
  const pool: Pool = { T: spec.T, workers, ctrl, gen: Atomics.load(ctrl, CTRL.GEN), stopped: false }
  for (let k = 1; k < spec.T; k++) {
    const w = prepared.shift() ?? makeWorker(k)
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

function makeWorker(k: number): ThreadWorker {
  return factory !== null ? factory(k) : defaultWorker()
}

/** Workers started ahead by `prepareThreads`, each behind its port, taken first by the next pool. */
let prepared: ThreadWorker[] = []

/** How long `prepareThreads` waits for a worker to load (ms). */
const PREPARE_TIMEOUT_MS = 30_000

interface ErrorEvents {
  addEventListener?(type: 'error', f: (e: { message?: string }) => void): void
  removeEventListener?(type: 'error', f: (e: { message?: string }) => void): void
  on?(type: 'error', f: (e: { message?: string }) => void): void
  off?(type: 'error', f: (e: { message?: string }) => void): void
}

/** Starts worker k, hands it a port and resolves once it has answered 'ready' on it. */
function prepareWorker(k: number): Promise<ThreadWorker> {
  return new Promise((resolve, reject) => {
    const worker = makeWorker(k)
    const { port1, port2 } = new MessageChannel()
    const events = worker as ErrorEvents
    const settle = () => {
      clearTimeout(timer)
      port1.onmessage = null
      events.removeEventListener?.('error', onError)
      events.off?.('error', onError)
    }
    const fail = (why: string) => {
      settle()
      port1.close()
      worker.terminate()
      reject(new SpikecsError('prepareThreads', 'worker', k, why))
    }
    const onError = (e: { message?: string }) => fail(`failed to load: ${e.message || 'an error event without a message'}`)
    const timer = setTimeout(() => fail(`did not load within ${PREPARE_TIMEOUT_MS} ms`), PREPARE_TIMEOUT_MS)
    if (events.addEventListener !== undefined) events.addEventListener('error', onError)
    else events.on?.('error', onError)
    port1.onmessage = (e) => {
      if (e.data !== 'ready') return
      settle()
      resolve({
        postMessage: (m) => port1.postMessage(m),
        terminate: () => {
          port1.close()
          return worker.terminate()
        },
      })
    }
    worker.postMessage(port2, [port2])
  })
}

/** Calls of `prepareThreads` in progress, chained. */
let preparing: Promise<void> = Promise.resolve()

/**
 * Starts the worker threads of a world of `threads` threads ahead of its build and waits until each has
 * loaded; the next plan that needs threads takes them before starting any of its own. A browser page (or its
 * worker) must call it before a threaded world's first step, since a browser starts a worker only once the
 * creating thread returns to its event loop. Workers come from `setThreadWorkerFactory`'s factory or the
 * default; those already prepared and not yet taken count, so calling it again (also while an earlier call is still
 * starting workers) starts only what is missing.
 * In Node it is optional (a world starts its workers itself) and may be used to start them early. Prepared
 * workers that no world took end with `releaseThreads()` or `disposeWorld` of a threaded world.
 */
export async function prepareThreads(threads: number): Promise<void> {
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
    throw new SpikecsError('prepareThreads', 'threads', threads, `must be a whole number from 1 to ${MAX_THREADS}`)
  }
  if (!threadsAvailable()) {
    throw new SpikecsError(
      'prepareThreads',
      'threads',
      threads,
      'needs shared memory and worker threads (a browser page must be cross-origin isolated)',
    )
  }
  // Calls run one after the other, so that two made at once (say, for two worlds) start only what is missing.
  const run = preparing.then(() => prepareMissing(threads))
  preparing = run.catch(() => undefined)
  return run
}

async function prepareMissing(threads: number): Promise<void> {
  const missing = threads - 1 - prepared.length
  if (missing <= 0) return
  const first = prepared.length + 1
  const started = await Promise.allSettled(Array.from({ length: missing }, (_, i) => prepareWorker(first + i)))
  const failed = started.find((r) => r.status === 'rejected')
  for (const r of started) {
    if (r.status !== 'fulfilled') continue
    if (failed === undefined) prepared.push(r.value)
    else r.value.terminate()
  }
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason
}

/** Ends the workers `prepareThreads` started that no world has taken (workers in use end with their world). */
export function releaseThreads(): void {
  const ws = prepared
  prepared = []
  for (const w of ws) w.terminate()
}

/**
 * How many threads a world may resolve `'auto'` to: any number in Node; in a browser, its own workers plus
 * those prepared, plus the thread that steps it.
 */
export function threadsReady(world: World): number {
  if (inNode()) return Number.POSITIVE_INFINITY
  const pool = poolOf(world)
  return 1 + prepared.length + (pool !== null && !pool.stopped ? pool.T - 1 : 0)
}

/** The world's pool, if it has one. */
export function poolOf(world: World): Pool | null {
  return (world.caches.get('threads:pool') as Pool | undefined) ?? null
}
