/**
 * The two scrolling plots: a spike raster (one pixel column per `ticksPerPx` ticks, neuron index upwards,
 * the first group blue and the second red, each group a band of rows) and the two groups' rates in bins
 * underneath, on the same time axis. Each frame's spikes are drawn once, when they arrive; scrolling moves
 * what is drawn with one self-copy of the plot area, so a frame costs its new spikes plus one blit, however
 * long the window. For a plastic network, a third plot (`Weights`): the histogram of w/wMax and a few
 * synapses' w/wMax over the whole run, redrawn from each frame's few numbers.
 */
import type { Group } from '@spikecs/presets'

export const COLORS = { E: '#3b8fe8', I: '#e8503b', bg: '#0f1419', grid: '#26303a', text: '#8a96a3' }

/** A colour as one RGBA pixel of a little-endian Uint32Array view of ImageData. */
function pixel(hex: string): number {
  const v = parseInt(hex.slice(1), 16)
  return ((0xff << 24) | ((v & 0xff) << 16) | (v & 0xff00) | (v >> 16)) >>> 0
}
const PIXEL = { E: pixel(COLORS.E), I: pixel(COLORS.I) }

/** A plot area of a canvas that scrolls left as time advances. */
class Scroller {
  /** Column (time in units of ticksPerPx) shown at the right edge; −1 before the first tick. */
  head = -1

  constructor(
    readonly ctx: CanvasRenderingContext2D,
    readonly x0: number,
    readonly y0: number,
    readonly w: number,
    readonly h: number,
    readonly ticksPerPx: number,
    readonly clear: (x: number, w: number) => void,
  ) {}

  /** Scrolls so that the column of `tick` is the rightmost one. */
  advanceTo(tick: number): void {
    const col = Math.floor(tick / this.ticksPerPx)
    if (col <= this.head) return
    const shift = Math.min(this.w, col - this.head)
    const { ctx, x0, y0, w, h } = this
    if (shift < w) ctx.drawImage(ctx.canvas, x0 + shift, y0, w - shift, h, x0, y0, w - shift, h)
    this.clear(x0 + w - shift, shift)
    this.head = col
  }

  /** x of the column of `tick`, or −1 when it has scrolled out. */
  x(tick: number): number {
    const back = this.head - Math.floor(tick / this.ticksPerPx)
    return back >= 0 && back < this.w ? this.x0 + this.w - 1 - back : -1
  }

  reset(): void {
    this.head = -1
    this.clear(this.x0, this.w)
  }
}

export interface PlotLayout {
  readonly n: number
  readonly dtMs: number
  readonly groups: readonly Group[]
  /** Rate bins (ms, default 5) and the top of the rate axis (Hz, default 80). */
  readonly rateBinMs?: number
  readonly rateMaxHz?: number
}

/** Rows of the raster given to a group: `h` rows from `y0` (counted from the bottom). */
interface Band {
  readonly start: number
  readonly size: number
  readonly y0: number
  readonly h: number
  /** Given MIN_BAND rows, more than its share. */
  readonly widened: boolean
}

/** Smallest band a group gets (px), so that a group of one neuron (song2000's output) shows as a stripe. */
const MIN_BAND = 24

/**
 * One band per group, stacked upwards in the order of the groups, proportional to the group sizes; groups too
 * small for MIN_BAND rows get MIN_BAND and the others share the rest. E/I networks stay exactly proportional
 * (row = floor(i·h/n)).
 */
function bandsOf(layout: PlotLayout, h: number): Band[] {
  const gs = layout.groups
  const small = gs.map((g) => (g.size * h) / layout.n < MIN_BAND)
  const fixed = small.reduce((a, x) => a + (x ? MIN_BAND : 0), 0)
  const rest = gs.reduce((a, g, k) => a + (small[k] ? 0 : g.size), 0)
  const bands: Band[] = []
  let y0 = 0
  gs.forEach((g, k) => {
    const hb = k === gs.length - 1 ? h - y0 : small[k] ? MIN_BAND : Math.round(((h - fixed) * g.size) / rest)
    bands.push({ start: g.start, size: g.size, y0, h: hb, widened: small[k] })
    y0 += hb
  })
  return bands
}

export class Raster {
  private readonly ctx: CanvasRenderingContext2D
  private readonly scroll: Scroller
  private layout: PlotLayout
  private bands: Band[]
  readonly msPerPx = 1

  constructor(
    readonly canvas: HTMLCanvasElement,
    layout: PlotLayout,
  ) {
    // Read back every frame (the new columns): keep the canvas in memory rather than on a GPU.
    this.ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D
    this.layout = layout
    this.bands = bandsOf(layout, canvas.height)
    const ctx = this.ctx
    this.scroll = new Scroller(ctx, 0, 0, canvas.width, canvas.height, Math.max(1, Math.round(this.msPerPx / layout.dtMs)), (x, w) => {
      const h = canvas.height
      ctx.fillStyle = COLORS.bg
      ctx.fillRect(x, 0, w, h)
      // A line between bands that are not proportional to their groups (a group widened to MIN_BAND rows).
      if (this.bands.some((b) => b.widened)) {
        ctx.fillStyle = COLORS.grid
        for (const b of this.bands.slice(1)) ctx.fillRect(x, h - b.y0, w, 1)
      }
    })
    this.scroll.reset()
  }

  /** Neuron at a y coordinate of the canvas (for clicks). */
  neuronAt(y: number): number {
    const r = this.canvas.height - 1 - y
    const b = this.bands.find((x) => r >= x.y0 && r < x.y0 + x.h) ?? (r < 0 ? this.bands[0] : this.bands[this.bands.length - 1])
    const local = Math.floor(((r - b.y0) * b.size) / b.h)
    return Math.max(0, Math.min(this.layout.n - 1, b.start + Math.max(0, Math.min(b.size - 1, local))))
  }

  /** Draws a frame's spikes: tick firstTick + k holds indices[offsets[k] .. offsets[k+1]). */
  draw(firstTick: number, offsets: Int32Array, indices: Int32Array): void {
    const nTicks = offsets.length - 1
    if (nTicks <= 0) return
    this.scroll.advanceTo(firstTick + nTicks - 1)
    // The frame's columns (the first may hold spikes of the previous frame): read, set pixels, write back.
    const W = this.canvas.width,
      h = this.canvas.height
    let k0 = 0
    while (k0 < nTicks && this.scroll.x(firstTick + k0) < 0) k0++
    if (k0 === nTicks) return
    const xFirst = this.scroll.x(firstTick + k0)
    const img = this.ctx.getImageData(xFirst, 0, W - xFirst, h)
    const px = new Uint32Array(img.data.buffer)
    const stride = img.width
    const bands = this.bands
    for (let k = k0; k < nTicks; k++) {
      const col = this.scroll.x(firstTick + k) - xFirst
      for (let q = offsets[k]; q < offsets[k + 1]; q++) {
        const i = indices[q]
        let g = 0
        while (g < bands.length - 1 && i >= bands[g].start + bands[g].size) g++
        const b = bands[g]
        // The neuron's rows in its band (one, or several when the band has more rows than neurons).
        const r0 = b.y0 + Math.floor(((i - b.start) * b.h) / b.size)
        const r1 = Math.max(r0 + 1, b.y0 + Math.floor(((i - b.start + 1) * b.h) / b.size))
        const color = g === 0 ? PIXEL.E : PIXEL.I
        for (let r = r0; r < r1; r++) px[(h - 1 - r) * stride + col] = color
      }
    }
    this.ctx.putImageData(img, xFirst, 0)
  }

  reset(layout: PlotLayout): void {
    this.layout = layout
    this.bands = bandsOf(layout, this.canvas.height)
    this.scroll.reset()
  }
}

export class Rates {
  private readonly ctx: CanvasRenderingContext2D
  private scroll: Scroller
  private layout: PlotLayout
  private binTicks = 50
  /** Bin being filled: its index and spike counts per group. */
  private bin = -1
  private counts = [0, 0]
  private lastRate: [number, number] | null = null
  /** Rates of the completed bins of the last second, per group (for the readout). */
  readonly recent: [number, number][] = []
  maxHz = 80
  binMs = 5

  constructor(
    readonly canvas: HTMLCanvasElement,
    layout: PlotLayout,
  ) {
    this.ctx = canvas.getContext('2d') as CanvasRenderingContext2D
    this.layout = layout
    this.scroll = this.makeScroller()
    this.reset(layout)
  }

  private makeScroller(): Scroller {
    const ctx = this.ctx,
      h = this.canvas.height
    const tpp = Math.max(1, Math.round(1 / this.layout.dtMs))
    return new Scroller(ctx, 0, 0, this.canvas.width, h, tpp, (x, w) => {
      ctx.fillStyle = COLORS.bg
      ctx.fillRect(x, 0, w, h)
      ctx.fillStyle = COLORS.grid
      for (let hz = 20; hz < this.maxHz; hz += 20) ctx.fillRect(x, this.y(hz), w, 1)
    })
  }

  private y(hz: number): number {
    const h = this.canvas.height
    return Math.round(h - 2 - (Math.min(hz, this.maxHz) / this.maxHz) * (h - 6))
  }

  /** Adds a frame's spikes; draws every bin it completes. */
  add(firstTick: number, offsets: Int32Array, indices: Int32Array): void {
    const nTicks = offsets.length - 1
    const E = this.layout.groups[0]
    const eEnd = E.start + E.size
    for (let k = 0; k < nTicks; k++) {
      const tick = firstTick + k
      const b = Math.floor(tick / this.binTicks)
      if (b !== this.bin) {
        if (this.bin >= 0) this.finishBin()
        this.bin = b
        this.counts[0] = this.counts[1] = 0
      }
      for (let q = offsets[k]; q < offsets[k + 1]; q++) {
        const i = indices[q]
        this.counts[i >= E.start && i < eEnd ? 0 : 1]++
      }
    }
  }

  private finishBin(): void {
    const [gE, gI] = this.layout.groups
    const sec = this.binMs / 1000
    const rate: [number, number] = [this.counts[0] / (gE.size * sec), this.counts[1] / (gI.size * sec)]
    const end = (this.bin + 1) * this.binTicks - 1
    this.scroll.advanceTo(end)
    const ctx = this.ctx
    const x1 = this.scroll.x(end),
      x0 = x1 - Math.round(this.binTicks / this.scroll.ticksPerPx)
    const prev = this.lastRate ?? rate
    for (const g of [1, 0]) {
      ctx.strokeStyle = g === 0 ? COLORS.E : COLORS.I
      ctx.lineWidth = 1.5
      ctx.beginPath()
      ctx.moveTo(x0 + 0.5, this.y(prev[g]))
      ctx.lineTo(x1 + 0.5, this.y(rate[g]))
      ctx.stroke()
    }
    this.lastRate = rate
    this.recent.push(rate)
    if (this.recent.length > 1000 / this.binMs) this.recent.shift()
  }

  reset(layout: PlotLayout): void {
    this.layout = layout
    this.binMs = layout.rateBinMs ?? 5
    this.maxHz = layout.rateMaxHz ?? 80
    this.binTicks = Math.max(1, Math.round(this.binMs / layout.dtMs))
    this.scroll = this.makeScroller()
    this.scroll.reset()
    this.bin = -1
    this.counts = [0, 0]
    this.lastRate = null
    this.recent.length = 0
  }
}

/** Colours of the traced synapses. */
const TRACE_COLORS = ['#f2c14e', '#5fd38d', '#e87ed0', '#7ec8e8', '#f28b50', '#b3a1f0', '#d9e36b', '#ef6f7c']

/** What the weights plot draws of one frame (the page keeps no more than this per frame). */
export interface WeightSample {
  readonly tick: number
  /** Synapses per bin of w/wMax over [0, 1]. */
  readonly hist: ArrayLike<number>
  /** w/wMax of the traced synapses. */
  readonly traced: ArrayLike<number>
}

/**
 * The plasticity plot: on the left the histogram of w/wMax (as the last frame left it), on the right the
 * traced synapses' w/wMax since the start, the time axis growing with the run. Samples are kept at most
 * MAX_SAMPLES; beyond, every second one is dropped, so a page left running keeps a bounded history.
 */
export class Weights {
  private readonly ctx: CanvasRenderingContext2D
  private readonly maxSamples = 1024
  private ticks = new Float64Array(this.maxSamples)
  private values: Float32Array[] = []
  private n = 0
  private last: WeightSample | null = null
  private dtMs = 0.1
  private synapses = 1

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D
  }

  /** Starts over for a network of `synapses` plastic synapses, `traced` of them traced. */
  reset(dtMs: number, synapses: number, traced: number): void {
    this.dtMs = dtMs
    this.synapses = synapses
    this.values = Array.from({ length: traced }, () => new Float32Array(this.maxSamples))
    this.n = 0
    this.last = null
    this.draw()
  }

  /** Adds a frame's sample (a tick already seen replaces nothing) and redraws. */
  add(sample: WeightSample): void {
    if (this.n > 0 && sample.tick <= this.ticks[this.n - 1]) {
      this.last = sample
      this.draw()
      return
    }
    if (this.n === this.maxSamples) {
      for (let k = 0; k < this.maxSamples / 2; k++) {
        this.ticks[k] = this.ticks[2 * k + 1]
        for (const v of this.values) v[k] = v[2 * k + 1]
      }
      this.n = this.maxSamples / 2
    }
    this.ticks[this.n] = sample.tick
    for (let j = 0; j < this.values.length; j++) this.values[j][this.n] = sample.traced[j]
    this.n++
    this.last = sample
    this.draw()
  }

  private draw(): void {
    const { ctx, canvas } = this
    const W = canvas.width,
      H = canvas.height
    const top = 14,
      bottom = H - 20
    const hx0 = 40,
      hx1 = Math.round(W * 0.36),
      tx0 = hx1 + 56,
      tx1 = W - 12
    ctx.fillStyle = COLORS.bg
    ctx.fillRect(0, 0, W, H)
    ctx.font = '11px system-ui, sans-serif'
    ctx.fillStyle = COLORS.text
    ctx.strokeStyle = COLORS.grid
    ctx.lineWidth = 1
    ctx.strokeRect(hx0 + 0.5, top + 0.5, hx1 - hx0, bottom - top)
    ctx.strokeRect(tx0 + 0.5, top + 0.5, tx1 - tx0, bottom - top)
    ctx.textAlign = 'center'
    for (const x of [0, 0.5, 1]) {
      ctx.fillText(String(x), hx0 + x * (hx1 - hx0), H - 6)
    }
    ctx.textAlign = 'right'
    ctx.fillText('1', tx0 - 4, top + 8)
    ctx.fillText('0', tx0 - 4, bottom)
    // Histogram: the count axis tops at 4x the uniform count per bin, or higher when a bin needs it.
    const hist = this.last?.hist
    if (hist !== undefined && hist.length > 0) {
      let max = 0
      for (let b = 0; b < hist.length; b++) max = Math.max(max, hist[b])
      const uniform = this.synapses / hist.length
      const cTop = Math.max(4 * uniform, Math.ceil(max / uniform) * uniform)
      ctx.fillText(String(Math.round(cTop)), hx0 - 4, top + 8)
      ctx.fillText('0', hx0 - 4, bottom)
      ctx.fillStyle = COLORS.E
      const bw = (hx1 - hx0) / hist.length
      for (let b = 0; b < hist.length; b++) {
        const y = bottom - ((bottom - top) * hist[b]) / cTop
        ctx.fillRect(Math.round(hx0 + b * bw + 1), Math.round(y), Math.max(1, Math.round(bw) - 2), Math.round(bottom - y))
      }
    }
    // Traces: time from 0 to the last sample, rounded up to whole seconds.
    const n = this.n
    if (n === 0) return
    const tEnd = Math.max(1, Math.ceil((this.ticks[n - 1] * this.dtMs) / 1000))
    ctx.fillStyle = COLORS.text
    ctx.textAlign = 'left'
    ctx.fillText('0 s', tx0, H - 6)
    ctx.textAlign = 'right'
    ctx.fillText(`${tEnd} s`, tx1, H - 6)
    const sx = (tx1 - tx0) / (tEnd * 1000)
    ctx.lineWidth = 1.2
    this.values.forEach((v, j) => {
      ctx.strokeStyle = TRACE_COLORS[j % TRACE_COLORS.length]
      ctx.beginPath()
      for (let k = 0; k < n; k++) {
        const x = tx0 + this.ticks[k] * this.dtMs * sx
        const y = bottom - (bottom - top) * Math.min(1, Math.max(0, v[k]))
        if (k === 0) ctx.moveTo(x, y)
        else ctx.lineTo(x, y)
      }
      ctx.stroke()
    })
  }
}
