/**
 * A raster plot as SVG text, written by hand (no DOM, so it runs in Node and in a browser alike):
 * - top panel: one dot per spike at (time in ms, neuron index), neuron 0 at the bottom; each group is ONE
 *   `<path class="raster" data-group="E">` whose data holds a short stroke per spike, so 10^5 spikes stay
 *   one element per population;
 * - bottom panel: the binned population rate (Hz) of each group, one `<path class="rate">` per group;
 * - shared time axis in ms, neuron-index axis, legend with each group's size and mean rate;
 * - more than `maxRows` neurons: every k-th neuron's spikes are drawn (the legend says so).
 */
import { SpikecsError } from '@spikecs/ecs-core'
import { binnedRateHz, groupRateHz, type SpikeTrains } from './stats.js'
import type { Group } from './types.js'

export interface RasterOptions {
  /** The groups to draw (each its own colour), in the global index space of `spikes`. */
  readonly groups: readonly Group[]
  /** Time step of the ticks in `spikes` (ms). */
  readonly dtMs: number
  /** Length of the run (ms): the time axis spans [0, durationMs]. */
  readonly durationMs: number
  /** Width of the picture in px (default 1200). */
  readonly width?: number
  /** Height of the raster panel in px (default 620). */
  readonly rasterHeight?: number
  /** Height of the rate panel in px (default 170). */
  readonly rateHeight?: number
  /** Rate bin (ms, default 5). */
  readonly binMs?: number
  /** Title line above the raster. */
  readonly title?: string
  /** Colour per group name (defaults: E blue, I red). */
  readonly colors?: Readonly<Record<string, string>>
  /**
   * Most neuron rows drawn (default 4000): above it every k-th neuron is drawn (k the smallest stride that
   * fits), at its true index, so a large network keeps a readable picture and a bounded file. The rate
   * panel always counts every spike.
   */
  readonly maxRows?: number
}

const DEFAULT_COLORS: Readonly<Record<string, string>> = { E: '#1d4f9c', I: '#c8281e' }
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif'

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Axis ticks at 1, 2 or 5 × 10^k spacing, about `target` of them, from 0 to the first tick ≥ max. */
export function niceTicks(max: number, target = 6): number[] {
  if (!(max > 0)) return [0]
  const raw = max / target
  const mag = 10 ** Math.floor(Math.log10(raw))
  const stepN = [1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10
  const step = stepN * mag
  const out: number[] = []
  for (let k = 0; ; k++) {
    out.push(Number((k * step).toPrecision(12)))
    if (k * step >= max * (1 - 1e-12)) break
  }
  return out
}

function num(x: number): string {
  return (Math.round(x * 10) / 10).toString()
}

/** Writes the raster plot of `spikes` as an SVG document (see the module comment). */
export function rasterSvg(spikes: SpikeTrains, o: RasterOptions): string {
  const object = 'rasterSvg'
  if (!Array.isArray(o.groups) || o.groups.length === 0) throw new SpikecsError(object, 'groups', o.groups, 'must list at least one group')
  if (!(o.dtMs > 0)) throw new SpikecsError(object, 'dtMs', o.dtMs, 'must be > 0 ms')
  if (!(o.durationMs > 0)) throw new SpikecsError(object, 'durationMs', o.durationMs, 'must be > 0 ms')
  const W = o.width ?? 1200
  const rasterH = o.rasterHeight ?? 620
  const rateH = o.rateHeight ?? 170
  const binMs = o.binMs ?? 5
  if (!(binMs >= o.dtMs)) throw new SpikecsError(object, 'binMs', binMs, `must be >= dtMs (${o.dtMs})`)
  const colors = { ...DEFAULT_COLORS, ...(o.colors ?? {}) }

  const left = 78,
    right = 150,
    top = o.title ? 44 : 20,
    gap = 46,
    bottom = 52
  const plotW = W - left - right
  const H = top + rasterH + gap + rateH + bottom
  const rateTop = top + rasterH + gap
  const lo = Math.min(...o.groups.map((g) => g.start))
  const hi = Math.max(...o.groups.map((g) => g.start + g.size))
  const nRows = hi - lo
  const totalTicks = Math.round(o.durationMs / o.dtMs)
  const maxRows = o.maxRows ?? 4000
  if (!(Number.isInteger(maxRows) && maxRows >= 1)) throw new SpikecsError(object, 'maxRows', maxRows, 'must be an integer >= 1')
  const stride = Math.ceil(nRows / maxRows)
  const xOf = (ms: number) => left + (ms / o.durationMs) * plotW
  const yOf = (i: number) => top + rasterH - ((i - lo + 0.5) / nRows) * rasterH

  // A mark is a horizontal stroke two ticks long, at least 1.2 and at most 3 px, as thick as a drawn row
  // (at least 0.9 px): at 4000 rows × 10^4 ticks a 1.2 × 0.9 px dot, so 10^5 spikes stay distinct.
  const dot = Math.max(1.2, Math.min(3, (plotW / Math.max(1, totalTicks)) * 2))
  const dotW = Math.max(0.9, Math.min(3, (rasterH * stride) / nRows))

  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT}" font-size="13">`,
  )
  parts.push(`<rect class="background" x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`)
  if (o.title) parts.push(`<text class="title" x="${left}" y="${top - 16}" font-size="15" font-weight="bold">${esc(o.title)}</text>`)

  // Raster panel: one path per group.
  const { ticks, indices } = spikes
  for (const g of o.groups) {
    const gLo = g.start,
      gHi = g.start + g.size
    const d: string[] = []
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]
      if (i < gLo || i >= gHi || (i - lo) % stride !== 0) continue
      const t = ticks[k]
      if (t < 0 || t >= totalTicks) continue
      d.push(`M${num(xOf(t * o.dtMs))} ${num(yOf(i))}h${dot}`)
    }
    const c = colors[g.name] ?? '#333333'
    parts.push(`<path class="raster" data-group="${esc(g.name)}" stroke="${c}" stroke-width="${dotW}" fill="none" d="${d.join('')}"/>`)
  }
  // Boundaries between groups.
  for (const g of o.groups) {
    if (g.start > lo) {
      const y = num(yOf(g.start - 0.5))
      parts.push(
        `<line class="boundary" x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#888888" ` +
          `stroke-width="0.6" stroke-dasharray="4 3"/>`,
      )
    }
  }

  // Rate panel: binned population rate per group.
  const binTicks = Math.max(1, Math.round(binMs / o.dtMs))
  const rates = o.groups.map((g) => binnedRateHz(spikes, g, totalTicks, binTicks, o.dtMs))
  let maxRate = 0
  for (const r of rates) for (let b = 0; b < r.length; b++) if (r[b] > maxRate) maxRate = r[b]
  const rateTicks = niceTicks(maxRate > 0 ? maxRate : 1, 4)
  const rateMax = rateTicks[rateTicks.length - 1]
  const yRate = (hz: number) => rateTop + rateH - (hz / rateMax) * rateH
  o.groups.forEach((g, gi) => {
    const r = rates[gi]
    const d: string[] = []
    for (let b = 0; b < r.length; b++) {
      // Steps: the rate is constant over its bin.
      const x0 = xOf(Math.min(b * binTicks, totalTicks) * o.dtMs),
        x1 = xOf(Math.min((b + 1) * binTicks, totalTicks) * o.dtMs)
      d.push(`${b === 0 ? 'M' : 'L'}${num(x0)} ${num(yRate(r[b]))}L${num(x1)} ${num(yRate(r[b]))}`)
    }
    const c = colors[g.name] ?? '#333333'
    parts.push(`<path class="rate" data-group="${esc(g.name)}" stroke="${c}" stroke-width="1.3" fill="none" d="${d.join('')}"/>`)
  })

  // Frames and axes.
  const axis: string[] = []
  for (const [y0, h] of [
    [top, rasterH],
    [rateTop, rateH],
  ] as const) {
    axis.push(`<rect class="frame" x="${left}" y="${y0}" width="${plotW}" height="${h}" fill="none" stroke="#222222" stroke-width="1"/>`)
  }
  for (const ms of niceTicks(o.durationMs, 10)) {
    if (ms > o.durationMs) continue
    const x = num(xOf(ms))
    for (const [y0, h] of [
      [top, rasterH],
      [rateTop, rateH],
    ] as const) {
      axis.push(`<line x1="${x}" x2="${x}" y1="${y0 + h}" y2="${y0 + h + 5}" stroke="#222222"/>`)
    }
    axis.push(`<text x="${x}" y="${rateTop + rateH + 20}" text-anchor="middle">${ms}</text>`)
  }
  axis.push(`<text class="xlabel" x="${left + plotW / 2}" y="${rateTop + rateH + 42}" text-anchor="middle">time (ms)</text>`)
  for (const i of niceTicks(nRows, 8)) {
    if (i > nRows) continue
    const y = num(yOf(lo + i - 0.5))
    axis.push(`<line x1="${left - 5}" x2="${left}" y1="${y}" y2="${y}" stroke="#222222"/>`)
    axis.push(`<text x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${lo + i}</text>`)
  }
  axis.push(`<text class="ylabel" transform="translate(22 ${top + rasterH / 2}) rotate(-90)" text-anchor="middle">neuron index</text>`)
  for (const hz of rateTicks) {
    const y = num(yRate(hz))
    axis.push(`<line x1="${left - 5}" x2="${left}" y1="${y}" y2="${y}" stroke="#222222"/>`)
    axis.push(`<text x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${hz}</text>`)
  }
  axis.push(`<text class="ylabel" transform="translate(22 ${rateTop + rateH / 2}) rotate(-90)" text-anchor="middle">rate (Hz)</text>`)
  parts.push(`<g class="axes">${axis.join('')}</g>`)

  // Legend: colour, name, size and mean rate of each group.
  const legend: string[] = []
  o.groups.forEach((g, gi) => {
    const y = top + 12 + gi * 40
    const c = colors[g.name] ?? '#333333'
    const hz = groupRateHz(spikes, g, o.durationMs)
    legend.push(`<rect x="${left + plotW + 16}" y="${y - 9}" width="12" height="12" fill="${c}"/>`)
    legend.push(`<text x="${left + plotW + 34}" y="${y + 1}" font-weight="bold">${esc(g.name)} (${g.size})</text>`)
    legend.push(`<text x="${left + plotW + 34}" y="${y + 19}">${hz.toFixed(2)} Hz</text>`)
  })
  if (stride > 1) {
    const y = top + 12 + o.groups.length * 40
    legend.push(`<text x="${left + plotW + 16}" y="${y}">1 in ${stride} neurons</text>`)
    legend.push(`<text x="${left + plotW + 16}" y="${y + 18}">drawn</text>`)
  }
  parts.push(`<g class="legend">${legend.join('')}</g>`)
  parts.push('</svg>')
  return parts.join('\n')
}
