/**
 * The simulation worker: builds the network, runs the driver on its own timer (about one frame of the page
 * per iteration) and posts each frame's spikes as transferable index arrays, so the page only draws.
 */
import {
  advanceFrame,
  disposeWorld,
  pauseDriver,
  prepareThreads,
  prepareWasm,
  resumeDriver,
  setSpeed,
  setThreadWorkerFactory,
  setTickCap,
  singleStep,
  tapSpikes,
} from '@spikecs/systems'
import { countTap, createSim, kick, plasticFrame, setExternalInput, setInhibitoryScale, type PlasticFrame, type Sim } from './sim.js'
import type { FromWorker, ToWorker, WorkerStats } from './protocol.js'

const scope = self as unknown as {
  postMessage(m: FromWorker, transfer?: Transferable[]): void
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null
}

// The workers of a threaded world run the thread runtime's entry (@spikecs/systems/worker), which the build
// emits beside this module as thread-worker.js; `prepareThreads` starts them through this factory.
setThreadWorkerFactory(() => new Worker(new URL('./thread-worker.js', import.meta.url), { type: 'module' }))

/** Wall ms between iterations; each runs the ticks that fit in the time since the last. */
const FRAME_MS = 16
/** A frame's compute is budgeted to this many ms (the tick cap follows the measured cost of a tick). */
const BUDGET_MS = 24

let sim: Sim | null = null
let timer: ReturnType<typeof setTimeout> | null = null
let last = 0
let msPerTick = 0.05

function stats(s: Sim, r = s.driver.last): WorkerStats {
  return {
    tick: s.net.world.tick,
    paused: s.driver.paused,
    speed: s.driver.speed,
    ticks: r.ticks,
    elapsedMs: r.elapsedMs,
    computeMs: r.computeMs,
    dropped: r.dropped,
    droppedTotal: s.driver.totals.dropped,
    spikes: s.counts.spikes,
    groups: s.counts.groups.slice(),
  }
}

/** The buffers of a plastic frame, to transfer rather than clone. */
const buffers = (p: PlasticFrame | null): Transferable[] => (p === null ? [] : [p.hist.buffer, p.traced.buffer])

/** Posts the tap's spikes (copied into fresh buffers that are transferred, not cloned) and the weights' state. */
function postFrame(s: Sim): void {
  countTap(s)
  const f = tapSpikes(s.tap)
  const offsets = f.offsets.slice()
  const indices = f.indices.slice()
  const plastic = plasticFrame(s)
  scope.postMessage({ type: 'frame', firstTick: f.firstTick, offsets, indices, stats: stats(s), plastic }, [
    offsets.buffer,
    indices.buffer,
    ...buffers(plastic),
  ])
}

function loop(): void {
  timer = null
  const s = sim
  if (s === null || s.driver.paused) return
  const now = performance.now()
  const r = advanceFrame(s.driver, now - last)
  last = now
  if (r.ticks > 0) {
    msPerTick = 0.8 * msPerTick + 0.2 * (r.computeMs / r.ticks)
    setTickCap(s.driver, Math.max(1, Math.min(100_000, Math.round(BUDGET_MS / Math.max(msPerTick, 1e-4)))))
  }
  postFrame(s)
  schedule(FRAME_MS - (performance.now() - now))
}

// A frame that used up its time is followed at once: through a message port, since timers nested this
// deep are clamped to at least 4 ms. Messages from the page are tasks too, so they still get through.
const port = new MessageChannel()
let immediate = false
port.port1.onmessage = () => {
  if (!immediate) return
  immediate = false
  loop()
}

function schedule(delayMs: number): void {
  if (delayMs > 1) {
    timer = setTimeout(loop, delayMs)
  } else {
    immediate = true
    port.port2.postMessage(null)
  }
}

function stop(): void {
  if (timer !== null) clearTimeout(timer)
  timer = null
  immediate = false
}

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'build') {
    stop()
    // The previous world's worker threads end with it.
    if (sim !== null) disposeWorld(sim.net.world)
    sim = null
    // Larger modules cannot be compiled synchronously everywhere; compile them once, ahead of the build.
    if (m.config.kernel === 'wasm') await prepareWasm()
    // A browser starts a worker only once this thread returns to its event loop: start them before the build.
    if (m.config.threads > 1) await prepareThreads(m.config.threads)
    sim = createSim(m.config)
    msPerTick = 0.05
    pauseDriver(sim.driver)
    const plastic = plasticFrame(sim)
    scope.postMessage({ type: 'ready', info: sim.info, stats: stats(sim), plastic }, buffers(plastic))
    return
  }
  const s = sim
  if (s === null) throw new Error(`no network built yet (message '${m.type}')`)
  switch (m.type) {
    case 'play':
      if (s.driver.paused) {
        resumeDriver(s.driver)
        last = performance.now()
        stop()
        schedule(0)
      }
      break
    case 'pause': {
      pauseDriver(s.driver)
      stop()
      const plastic = plasticFrame(s)
      scope.postMessage({ type: 'ticks', id: -1, stats: stats(s), plastic }, buffers(plastic))
      break
    }
    case 'step':
      singleStep(s.driver)
      postFrame(s)
      break
    case 'speed':
      setSpeed(s.driver, m.value)
      break
    case 'input':
      setExternalInput(s, m.value)
      break
    case 'inhibitory':
      setInhibitoryScale(s, m.value)
      break
    case 'kick':
      kick(s, m.indices)
      break
    case 'runTicks': {
      pauseDriver(s.driver)
      stop()
      const t0 = performance.now()
      for (let k = 0; k < m.n; k++) {
        singleStep(s.driver)
        countTap(s)
      }
      const st = stats(s)
      st.ticks = m.n
      st.computeMs = performance.now() - t0
      const plastic = plasticFrame(s)
      scope.postMessage({ type: 'ticks', id: m.id, stats: st, plastic }, buffers(plastic))
      break
    }
  }
}

// Messages are handled one after the other (a build awaits the module compile; what follows waits for it).
let queue: Promise<void> = Promise.resolve()
scope.onmessage = (e) => {
  queue = queue
    .then(() => handle(e.data))
    .catch((err: unknown) => {
      scope.postMessage({ type: 'error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
    })
}
