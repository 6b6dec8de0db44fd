/**
 * A plot of a plastic projection's weights as SVG text, written by hand like the raster plot (no DOM):
 * - left panel: the histogram of the final w/wMax in 10 bins, one `<path class="hist">`;
 * - right panel: w/wMax of a few synapses over time, one `<path class="trace" data-synapse="k">` each.
 */
import { niceTicks } from './raster-svg.js'

export interface WeightPlotOptions {
  /** Final weights (any units) and their upper bound: the plot shows w/wMax. */
  readonly weights: ArrayLike<number>
  readonly wMax: number
  /** Sampled weights over time: sample times (ms) and, per synapse, its values at those times. */
  readonly timesMs: ArrayLike<number>
  readonly traces: readonly { readonly synapse: number; readonly values: ArrayLike<number> }[]
  readonly title?: string
  /** Width and height of the picture in px (default 1200 × 420). */
  readonly width?: number
  readonly height?: number
}

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif'
const PALETTE = ['#1d4f9c', '#c8281e', '#2a8a3e', '#b36b00', '#6a3d9a', '#0f8b8d', '#a6761d', '#e7298a']
const num = (x: number) => (Math.round(x * 10) / 10).toString()
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Writes the weight plot (see the module comment). */
export function weightsSvg(o: WeightPlotOptions): string {
  const W = o.width ?? 1200,
    H = o.height ?? 420
  const top = 50,
    bottom = H - 50,
    gap = 80
  const lx0 = 70,
    lx1 = Math.round(W * 0.38),
    rx0 = lx1 + gap,
    rx1 = W - 30
  const counts = new Array<number>(10).fill(0)
  for (let k = 0; k < o.weights.length; k++) counts[Math.min(9, Math.max(0, Math.floor((o.weights[k] / o.wMax) * 10)))]++
  const cMax = Math.max(1, ...counts)
  const cTicks = niceTicks(cMax, 5)
  const cTop = cTicks[cTicks.length - 1]
  const hy = (c: number) => bottom - ((bottom - top) * c) / cTop
  const hx = (b: number) => lx0 + ((lx1 - lx0) * b) / 10
  let hist = ''
  for (let b = 0; b < 10; b++) hist += `M${num(hx(b) + 1)} ${num(bottom)}V${num(hy(counts[b]))}H${num(hx(b + 1) - 1)}V${num(bottom)}Z`
  const n = o.timesMs.length
  const tMax = n > 0 ? o.timesMs[n - 1] : 1
  const tTicks = niceTicks(tMax / 1000, 6)
  const tTop = tTicks[tTicks.length - 1] * 1000 || 1
  const tx = (t: number) => rx0 + ((rx1 - rx0) * t) / tTop
  const wy = (x: number) => bottom - (bottom - top) * Math.min(1, Math.max(0, x))
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT}" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
  ]
  if (o.title) out.push(`<text x="${lx0}" y="24" font-size="15">${esc(o.title)}</text>`)
  // Histogram panel.
  out.push(`<path class="hist" d="${hist}" fill="#1d4f9c" fill-opacity="0.8"/>`)
  out.push(`<path d="M${lx0} ${top}V${bottom}H${lx1}" fill="none" stroke="#333"/>`)
  for (const c of cTicks) out.push(`<text x="${lx0 - 6}" y="${num(hy(c) + 4)}" text-anchor="end">${c}</text>`)
  for (let b = 0; b <= 10; b += 2) out.push(`<text x="${num(hx(b))}" y="${bottom + 18}" text-anchor="middle">${b / 10}</text>`)
  out.push(`<text x="${num((lx0 + lx1) / 2)}" y="${bottom + 38}" text-anchor="middle">w / wMax (final)</text>`)
  out.push(`<text x="${lx0}" y="${top - 8}">synapses</text>`)
  // Traces panel.
  out.push(`<path d="M${rx0} ${top}V${bottom}H${rx1}" fill="none" stroke="#333"/>`)
  for (const t of tTicks) out.push(`<text x="${num(tx(t * 1000))}" y="${bottom + 18}" text-anchor="middle">${t}</text>`)
  for (let y = 0; y <= 1; y += 0.5) out.push(`<text x="${rx0 - 6}" y="${num(wy(y) + 4)}" text-anchor="end">${y}</text>`)
  out.push(`<text x="${num((rx0 + rx1) / 2)}" y="${bottom + 38}" text-anchor="middle">time (s)</text>`)
  out.push(`<text x="${rx0}" y="${top - 8}">w / wMax of ${o.traces.length} synapses</text>`)
  o.traces.forEach((tr, k) => {
    let d = ''
    for (let q = 0; q < n; q++) d += `${q === 0 ? 'M' : 'L'}${num(tx(o.timesMs[q]))} ${num(wy(tr.values[q] / o.wMax))}`
    const color = PALETTE[k % PALETTE.length]
    out.push(`<path class="trace" data-synapse="${tr.synapse}" d="${d}" fill="none" stroke="${color}" stroke-width="1.2"/>`)
  })
  out.push('</svg>')
  return out.join('\n')
}
