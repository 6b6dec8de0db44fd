/**
 * The entry of a worker thread (Node `worker_threads` or a module Web Worker; package export
 * `@spikecs/systems/worker`). Its first message is either a `MessagePort` (from `prepareThreads`: it answers
 * 'ready' on the port and takes every later message from it) or the first thread spec. It receives a thread
 * spec, builds its runner, says it is ready by storing the
 * spec's generation in its DONE slot, then loops: wait for the next generation, run the phase, store the
 * generation. A reload command sends it back to its event loop for the next spec; an exit command ends it.
 */
import { CMD_EXIT, CMD_PHASE, CTRL, canBlock, signal, spinState, waitWhile } from './control.js'
import { createRunner, type Runner } from './runner.js'
import { TIMER, TIMER_SLOTS, viewCache, type ThreadSpec } from './spec.js'

interface Message {
  readonly spec: ThreadSpec
  readonly t: number
  readonly gen: number
}

interface Port {
  on?(event: 'message', f: (m: Message | MessagePort) => void): void
  close?(): void
}

function loop(runner: Runner, ctrl: Int32Array, t: number, spin: number, gen: number, timers: Float64Array | null): boolean {
  const block = canBlock(ctrl)
  const slot = t * TIMER_SLOTS + TIMER.wait
  const s = spinState(spin)
  for (;;) {
    const t0 = timers === null ? 0 : performance.now()
    waitWhile(ctrl, CTRL.GEN, gen, s, block)
    if (timers !== null) timers[slot] += performance.now() - t0
    gen = Atomics.load(ctrl, CTRL.GEN)
    const cmd = Atomics.load(ctrl, CTRL.CMD)
    if (cmd === CMD_EXIT) return false
    if (cmd !== CMD_PHASE) return true // reload: the next message holds the new spec
    runner.run(Atomics.load(ctrl, CTRL.MASK), Atomics.load(ctrl, CTRL.TICK))
    signal(ctrl, CTRL.DONE + t, gen)
  }
}

function onMessage(m: Message, close: () => void): void {
  const view = viewCache(m.spec.memory.buffer)
  const ctrl = view(m.spec.ctrl) as Int32Array
  const timers = m.spec.timers === null ? null : (view(m.spec.timers) as Float64Array)
  let runner: Runner
  try {
    runner = createRunner(m.spec, m.t, null)
  } catch (e) {
    // A runner that cannot be built is reported like a failed phase; the main thread's wait then ends.
    console.error(e)
    Atomics.compareExchange(ctrl, CTRL.ERROR, 0, m.t + 1)
    signal(ctrl, CTRL.DONE + m.t, m.gen)
    return
  }
  signal(ctrl, CTRL.DONE + m.t, m.gen)
  if (!loop(runner, ctrl, m.t, m.spec.spin, m.gen, timers)) close()
}

const nodePort = (() => {
  const p = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process
  const wt = typeof p?.getBuiltinModule === 'function' ? (p.getBuiltinModule('node:worker_threads') as { parentPort: Port | null }) : null
  return wt?.parentPort ?? null
})()

/** The port `prepareThreads` handed this worker, once it has; every later message comes through it. */
let port: MessagePort | null = null

/** A message to the worker itself: the port to listen on, or a thread spec sent directly. */
function direct(m: Message | MessagePort, close: () => void): void {
  if (port === null && typeof MessagePort !== 'undefined' && m instanceof MessagePort) {
    const p = m
    port = p
    const end = () => {
      p.close()
      close()
    }
    p.onmessage = (e) => onMessage(e.data as Message, end)
    p.postMessage('ready')
  } else onMessage(m as Message, close)
}

if (nodePort !== null) {
  nodePort.on?.('message', (m) => direct(m, () => nodePort.close?.()))
} else {
  const scope = globalThis as unknown as { onmessage: ((e: { data: Message | MessagePort }) => void) | null; close(): void }
  scope.onmessage = (e) => direct(e.data, () => scope.close())
}
