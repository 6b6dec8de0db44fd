/**
 * The page: controls, readouts and the plots (raster, rates and, for a plastic network, the weights). The
 * network runs in a Web Worker (worker.ts); the page sends it the controls and draws the spike index arrays
 * and weight histograms it posts back, so the page stays responsive however heavy the network. Query
 * parameters (`?network=coba&seed=3&dtype=float64&kernel=js&speed=2`) choose the start-up settings; `?test`
 * exposes `window.__spikecs` for the end-to-end test.
 */
import { NETWORKS, type NetworkId, type PlasticFrame, type SimConfig, type SimInfo } from './sim.js'
import type { FromWorker, ToWorker, WorkerStats } from './protocol.js'
import { Raster, Rates, Weights } from './plots.js'
import { chooseThreads } from './threads.js'

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`the page has no element #${id}`)
  return el as T
}

const ui = {
  network: $<HTMLSelectElement>('network'),
  seed: $<HTMLInputElement>('seed'),
  reset: $<HTMLButtonElement>('reset'),
  play: $<HTMLButtonElement>('play'),
  step: $<HTMLButtonElement>('step'),
  speed: $<HTMLInputElement>('speed'),
  speedOut: $<HTMLOutputElement>('speed-out'),
  input: $<HTMLInputElement>('input'),
  inputOut: $<HTMLOutputElement>('input-out'),
  inhib: $<HTMLInputElement>('inhib'),
  inhibOut: $<HTMLOutputElement>('inhib-out'),
  inputLabel: $<HTMLLabelElement>('input-label'),
  inhibLabel: $<HTMLLabelElement>('inhib-label'),
  raster: $<HTMLCanvasElement>('raster'),
  rates: $<HTMLCanvasElement>('rates'),
  rasterLegend: [$<HTMLElement>('raster-g0'), $<HTMLElement>('raster-g1')],
  ratesLegend: [$<HTMLElement>('rates-g0'), $<HTMLElement>('rates-g1')],
  ratesBin: $<HTMLElement>('rates-bin'),
  ratesTop: $<HTMLElement>('rates-top'),
  plasticity: $<HTMLElement>('plasticity'),
  weights: $<HTMLCanvasElement>('weights'),
  weightsBins: $<HTMLElement>('weights-bins'),
  weightsTraced: $<HTMLElement>('weights-traced'),
  readout: $<HTMLElement>('readout'),
  about: $<HTMLElement>('about'),
  threads: $<HTMLElement>('threads'),
  status: $<HTMLElement>('status'),
}

const query = new URLSearchParams(location.search)
const testMode = query.has('test')
for (const [id, def] of Object.entries(NETWORKS)) ui.network.add(new Option(def.label, id))
const startNetwork = query.get('network') ?? 'einet'
ui.network.value = startNetwork in NETWORKS ? startNetwork : 'einet'
ui.seed.value = query.get('seed') ?? '1'
const dtype = query.get('dtype') === 'float64' ? 'float64' : 'float32'
const kernel = query.get('kernel') === 'js' ? 'js' : 'wasm'
/** `?threads=1|2` overrides the choice (threads.ts). */
const threadChoice = chooseThreads(query.get('threads'), globalThis.crossOriginIsolated === true, navigator.hardwareConcurrency || 1)

/** Speed slider: log10 of the factor, −1 … log10(20). */
const speedOf = () => Math.round(10 ** Number(ui.speed.value) * 100) / 100
if (query.has('speed')) ui.speed.value = String(Math.log10(Number(query.get('speed'))))

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
const send = (m: ToWorker) => worker.postMessage(m)

let info: SimInfo | null = null
let stats: WorkerStats | null = null
const layout0 = {
  n: 4000,
  dtMs: 0.1,
  groups: [
    { name: 'E' as const, start: 0, size: 3200 },
    { name: 'I' as const, start: 3200, size: 800 },
  ],
}
const raster = new Raster(ui.raster, layout0)
const rates = new Rates(ui.rates, layout0)
const weights = new Weights(ui.weights)
/** The plastic projection's state as the worker last reported it (null without plasticity). */
let plastic: PlasticFrame | null = null

/** The raster legend's name of each group the presets build. */
const GROUP_LABELS: Readonly<Record<string, string>> = { E: 'excitatory', I: 'inhibitory', In: 'Poisson inputs', Out: 'output neuron' }
/** Frames of the last second of wall time: arrival time, ticks, wall ms elapsed in the worker. */
const recent: { at: number; ticks: number; elapsedMs: number; computeMs: number }[] = []

let readyWaiters: ((i: SimInfo) => void)[] = []
const tickWaiters = new Map<number, (s: WorkerStats) => void>()

function build(keepInput: boolean): void {
  const seed = Number(ui.seed.value)
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    ui.status.textContent = `seed must be an integer in [0, 4294967295] (got ${ui.seed.value})`
    return
  }
  const config: SimConfig = { network: ui.network.value as NetworkId, seed, dtype, kernel, threads: threadChoice.threads }
  ui.status.textContent = 'building…'
  info = null
  setPlaying(false)
  send({ type: 'build', config })
  readyWaiters.push(() => {
    if (!keepInput && info!.iExt !== null) ui.input.value = String(info!.iExt)
    send({ type: 'speed', value: speedOf() })
    send({ type: 'input', value: Number(ui.input.value) })
    send({ type: 'inhibitory', value: Number(ui.inhib.value) })
    showControls()
  })
}

function setPlaying(on: boolean): void {
  ui.play.textContent = on ? 'Pause' : 'Play'
  ui.play.setAttribute('aria-pressed', String(on))
}

function showControls(): void {
  ui.speedOut.value = `x${speedOf().toFixed(speedOf() < 1 ? 2 : 1)}`
  ui.inputOut.value = `${Number(ui.input.value).toFixed(1)} mV`
  ui.inhibOut.value = `x${Number(ui.inhib.value).toFixed(2)}`
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data
  switch (m.type) {
    case 'ready': {
      info = m.info
      stats = m.stats
      const def = NETWORKS[info.network]
      const layout = { n: info.n, dtMs: info.dtMs, groups: info.groups, rateBinMs: def.rateBinMs, rateMaxHz: def.rateMaxHz }
      raster.reset(layout)
      rates.reset(layout)
      recent.length = 0
      info.groups.forEach((g, k) => {
        ui.rasterLegend[k].textContent = `■ ${GROUP_LABELS[g.name] ?? g.name}`
        ui.ratesLegend[k].textContent = g.name
      })
      ui.ratesBin.textContent = `${rates.binMs} ms`
      ui.ratesTop.textContent = `${rates.maxHz} Hz`
      ui.inputLabel.classList.toggle('off', info.iExt === null)
      ui.input.disabled = info.iExt === null
      ui.inhibLabel.classList.toggle('off', !info.inhibitory)
      ui.inhib.disabled = !info.inhibitory
      plastic = m.plastic
      ui.plasticity.hidden = info.plastic === null
      if (info.plastic !== null) {
        weights.reset(info.dtMs, info.plastic.synapses, info.plastic.traced.length)
        ui.weightsBins.textContent = String(info.plastic.bins)
        ui.weightsTraced.textContent = String(info.plastic.traced.length)
        if (m.plastic !== null) weights.add(m.plastic)
      }
      const [A, B] = info.groups
      ui.about.textContent =
        `${def.about}. ${A.size} ${A.name} + ${B.size} ${B.name} neurons, dt ${info.dtMs} ms, seed ${info.seed}, ` +
        `${info.dtype}, ${info.kernel} ` +
        `kernels${info.kernel === 'wasm' ? (info.sharedMemory ? ' (shared memory)' : '') : ''}; built in ` +
        `${info.buildMs.toFixed(0)} ms`
      ui.threads.textContent =
        (info.threads === threadChoice.threads ? threadChoice.label : `${info.threads} thread${info.threads > 1 ? 's' : ''}`) +
        (threadChoice.problem !== null ? ` (${threadChoice.problem})` : '')
      ui.status.textContent = `ready: press Play (or the space bar)${info.kicks ? '; click the raster to make neurons fire' : ''}`
      const waiters = readyWaiters
      readyWaiters = []
      for (const w of waiters) w(info)
      break
    }
    case 'frame':
      stats = m.stats
      raster.draw(m.firstTick, m.offsets, m.indices)
      rates.add(m.firstTick, m.offsets, m.indices)
      if (m.plastic !== null) {
        plastic = m.plastic
        weights.add(m.plastic)
      }
      if (m.stats.elapsedMs > 0)
        recent.push({ at: performance.now(), ticks: m.stats.ticks, elapsedMs: m.stats.elapsedMs, computeMs: m.stats.computeMs })
      break
    case 'ticks': {
      stats = m.stats
      if (m.plastic !== null) {
        plastic = m.plastic
        weights.add(m.plastic)
      }
      const w = tickWaiters.get(m.id)
      tickWaiters.delete(m.id)
      w?.(m.stats)
      break
    }
    case 'error':
      ui.status.textContent = m.message
      console.error(`simulation worker: ${m.message}`)
      break
  }
}
worker.onerror = (e) => {
  ui.status.textContent = `worker failed: ${e.message}`
  console.error(`simulation worker failed: ${e.message}`)
}

function readout(): void {
  requestAnimationFrame(readout)
  if (info === null || stats === null) return
  const now = performance.now()
  while (recent.length > 0 && now - recent[0].at > 1000) recent.shift()
  let ticks = 0,
    wall = 0,
    compute = 0
  for (const r of recent) {
    ticks += r.ticks
    wall += r.elapsedMs
    compute += r.computeMs
  }
  const running = !stats.paused && wall > 0
  const tps = running ? (ticks / wall) * 1000 : 0
  const rtf = running ? (ticks * info.dtMs) / wall : 0
  const capacity = compute > 0 ? (ticks * info.dtMs) / compute : 0
  const sum = [0, 0]
  for (const r of rates.recent) {
    sum[0] += r[0]
    sum[1] += r[1]
  }
  const nb = Math.max(1, rates.recent.length)
  const cells: [string, string][] = [
    ['time', `${((stats.tick * info.dtMs) / 1000).toFixed(2)} s`],
    ['ticks/s', tps.toFixed(0)],
    ['real-time factor', `${rtf.toFixed(2)}${capacity > 0 ? ` (compute alone ${capacity.toFixed(2)})` : ''}`],
    ...info.groups.map((g, k): [string, string] => [`${g.name} rate`, `${(sum[k] / nb).toFixed(1)} Hz`]),
    ...(plastic !== null ? plasticCells(plastic) : []),
    ['spikes', String(stats.spikes)],
    ...(stats.droppedTotal > 0
      ? [['behind', `${((stats.droppedTotal * info.dtMs) / 1000).toFixed(2)} s dropped`] as [string, string]]
      : []),
  ]
  const text = cells.map(([k, v]) => `${k} <b>${v}</b>`).join(' · ')
  if (ui.readout.innerHTML !== text) ui.readout.innerHTML = text
}

ui.play.onclick = () => {
  if (info === null) return
  const on = ui.play.getAttribute('aria-pressed') !== 'true'
  send({ type: on ? 'play' : 'pause' })
  setPlaying(on)
}
ui.step.onclick = () => {
  if (info === null) return
  send({ type: 'pause' })
  setPlaying(false)
  send({ type: 'step' })
}
ui.speed.oninput = () => {
  showControls()
  send({ type: 'speed', value: speedOf() })
}
ui.input.oninput = () => {
  showControls()
  send({ type: 'input', value: Number(ui.input.value) })
}
ui.inhib.oninput = () => {
  showControls()
  send({ type: 'inhibitory', value: Number(ui.inhib.value) })
}
ui.reset.onclick = () => build(true)
ui.network.onchange = () => build(false)
/** Readout of the weights: mean w/gmax and the fractions in the two outer tenths (from the histogram's bins). */
function plasticCells(p: PlasticFrame): [string, string][] {
  const bins = p.hist.length
  let total = 0,
    low = 0,
    high = 0
  for (let b = 0; b < bins; b++) {
    total += p.hist[b]
    if (b < bins / 10) low += p.hist[b]
    if (b >= (9 * bins) / 10) high += p.hist[b]
  }
  const pct = (x: number) => `${((100 * x) / Math.max(1, total)).toFixed(1)} %`
  return [
    ['mean w/gmax', p.mean.toFixed(3)],
    ['w < 0.1 gmax', pct(low)],
    ['w ≥ 0.9 gmax', pct(high)],
  ]
}

ui.raster.onclick = (e) => {
  if (info === null || !info.kicks) return
  const r = ui.raster.getBoundingClientRect()
  const y = ((e.clientY - r.top) * ui.raster.height) / r.height
  const centre = raster.neuronAt(y)
  const width = Math.max(10, Math.round(info.n / 200))
  const indices: number[] = []
  for (let i = Math.max(0, centre - width); i < Math.min(info.n, centre + width); i++) indices.push(i)
  send({ type: 'kick', indices })
}
document.addEventListener('keydown', (e) => {
  if (e.code === 'Space' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement)) {
    e.preventDefault()
    ui.play.click()
  }
})

showControls()
build(false)
requestAnimationFrame(readout)

/** Pixels of a canvas brighter than the background, and an FNV-1a hash of its RGBA bytes (for the test). */
function litPixels(canvas: HTMLCanvasElement): { lit: number; hash: number } {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data
  let lit = 0,
    hash = 0x811c9dc5
  for (let k = 0; k < d.length; k += 4) if (d[k] + d[k + 1] + d[k + 2] > 120) lit++
  for (let k = 0; k < d.length; k++) hash = Math.imul(hash ^ d[k], 0x01000193)
  return { lit, hash: hash >>> 0 }
}

if (testMode) {
  let nextId = 1
  const hook = {
    /** Resolves with the network's description once it is built. */
    ready: (): Promise<SimInfo> => (info !== null ? Promise.resolve(info) : new Promise((r) => readyWaiters.push(r))),
    /** Runs exactly n ticks in the worker (paused) and resolves with the running state and spike counts. */
    runTicks: (n: number): Promise<WorkerStats> =>
      new Promise((resolve) => {
        const id = nextId++
        tickWaiters.set(id, resolve)
        setPlaying(false)
        send({ type: 'runTicks', n, id })
      }),
    /** The latest state the worker reported. */
    stats: (): WorkerStats | null => stats,
    /** Number of raster pixels that are not background. */
    litPixels: (): number => litPixels(ui.raster).lit,
    /** The plastic projection's latest state as the page received it (null without plasticity). */
    plasticity: (): { tick: number; hist: number[]; traced: number[]; mean: number } | null =>
      plastic === null
        ? null
        : { tick: plastic.tick, hist: Array.from(plastic.hist), traced: Array.from(plastic.traced), mean: plastic.mean },
    /** The weights plot as drawn: pixels that are not background, and a hash of every pixel. */
    weightPixels: () => litPixels(ui.weights),
  }
  ;(window as unknown as { __spikecs: typeof hook }).__spikecs = hook
}
