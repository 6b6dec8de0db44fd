/**
 * The two scrolling plots: a spike raster (one pixel column per `ticksPerPx` ticks, neuron index upwards,
 * E blue and I red) and the E/I population rates in bins underneath, on the same time axis. Each frame's
 * spikes are drawn once, when they arrive; scrolling moves what is drawn with one self-copy of the plot
 * area, so a frame costs its new spikes plus one blit, however long the window.
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
}

export class Raster {
  private readonly ctx: CanvasRenderingContext2D
  private readonly scroll: Scroller
  private layout: PlotLayout
  readonly msPerPx = 1

  constructor(
    readonly canvas: HTMLCanvasElement,
    layout: PlotLayout,
  ) {
    // Read back every frame (the new columns): keep the canvas in memory rather than on a GPU.
    this.ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D
    this.layout = layout
    const ctx = this.ctx
    this.scroll = new Scroller(ctx, 0, 0, canvas.width, canvas.height, Math.max(1, Math.round(this.msPerPx / layout.dtMs)), (x, w) => {
      ctx.fillStyle = COLORS.bg
      ctx.fillRect(x, 0, w, canvas.height)
    })
    this.scroll.reset()
  }

  /** Neuron at a y coordinate of the canvas (for clicks). */
  neuronAt(y: number): number {
    const h = this.canvas.height
    return Math.max(0, Math.min(this.layout.n - 1, Math.floor(((h - 1 - y) * this.layout.n) / h)))
  }

  /** Draws a frame's spikes: tick firstTick + k holds indices[offsets[k] .. offsets[k+1]). */
  draw(firstTick: number, offsets: Int32Array, indices: Int32Array): void {
    const nTicks = offsets.length - 1
    if (nTicks <= 0) return
    this.scroll.advanceTo(firstTick + nTicks - 1)
    // The frame's columns (the first may hold spikes of the previous frame): read, set pixels, write back.
    const W = this.canvas.width,
      h = this.canvas.height,
      n = this.layout.n
    let k0 = 0
    while (k0 < nTicks && this.scroll.x(firstTick + k0) < 0) k0++
    if (k0 === nTicks) return
    const xFirst = this.scroll.x(firstTick + k0)
    const img = this.ctx.getImageData(xFirst, 0, W - xFirst, h)
    const px = new Uint32Array(img.data.buffer)
    const stride = img.width
    const E = this.layout.groups[0]
    const eEnd = E.start + E.size
    for (let k = k0; k < nTicks; k++) {
      const col = this.scroll.x(firstTick + k) - xFirst
      for (let q = offsets[k]; q < offsets[k + 1]; q++) {
        const i = indices[q]
        const row = h - 1 - Math.floor((i * h) / n)
        px[row * stride + col] = i >= E.start && i < eEnd ? PIXEL.E : PIXEL.I
      }
    }
    this.ctx.putImageData(img, xFirst, 0)
  }

  reset(layout: PlotLayout): void {
    this.layout = layout
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
  /** Rates of the completed bins of the last second (for the readout). */
  readonly recent: { E: number; I: number }[] = []
  readonly maxHz = 80
  readonly binMs = 5

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
    this.recent.push({ E: rate[0], I: rate[1] })
    if (this.recent.length > 1000 / this.binMs) this.recent.shift()
  }

  reset(layout: PlotLayout): void {
    this.layout = layout
    this.binTicks = Math.max(1, Math.round(this.binMs / layout.dtMs))
    this.scroll = this.makeScroller()
    this.scroll.reset()
    this.bin = -1
    this.counts = [0, 0]
    this.lastRate = null
    this.recent.length = 0
  }
}
