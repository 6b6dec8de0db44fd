/**
 * Python text: number, string and list literals, and prose wrapped for the script's header and comments.
 */
import { SpikecsError } from '@spikecs/ecs-core'
import type { NpyArray } from '../npz.js'

/** A Python float literal (JavaScript's shortest round-trip text is also Python's). */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) throw new SpikecsError('exportPyNN', 'value', x, 'must be finite')
  if (Object.is(x, -0)) return '-0.0'
  const s = String(x)
  return /[.e]/.test(s) ? s : `${s}.0`
}

/** The shortest decimal that rounds to the same float32 (so a float32 world's 0.6 prints as 0.6). */
export function shortFloat32(x: number): number {
  if (Math.fround(x) !== x || !Number.isFinite(x)) return x
  for (let p = 1; p <= 9; p++) {
    const y = Number(x.toPrecision(p))
    if (Math.fround(y) === x) return y
  }
  return x
}

export const pyStr = (s: string) => JSON.stringify(s)
export const pyBool = (b: boolean) => (b ? 'True' : 'False')
/** A value computed in double from parameters: printed with 12 significant digits, which drops float noise. */
export const tidy = (x: number) => Number(x.toPrecision(12))

/** Wraps prose to `width` columns with a prefix on every line. */
export function wrap(text: string, prefix: string, first: string, width = 110): string[] {
  const words = text.split(/\s+/)
  const lines: string[] = []
  let line = first
  for (const w of words) {
    if (line.length + w.length + 1 > width && line.trim().length > first.trim().length) {
      lines.push(line.trimEnd())
      line = prefix
    }
    line += (line === first || line === prefix ? '' : ' ') + w
  }
  lines.push(line.trimEnd())
  return lines
}

/** A Python list literal of an array, wrapped at about 100 columns (float32 values at float32 precision). */
export function pyList(a: NpyArray, f32: boolean): string {
  const parts: string[] = []
  if (a instanceof Int32Array) for (let i = 0; i < a.length; i++) parts.push(String(a[i]))
  else for (let i = 0; i < a.length; i++) parts.push(pyFloat(f32 ? shortFloat32(a[i]) : a[i]))
  const lines: string[] = []
  let line: string[] = []
  let width = 0
  for (const p of parts) {
    if (width + p.length > 100 && line.length > 0) {
      lines.push(line.join(', '))
      line = []
      width = 0
    }
    line.push(p)
    width += p.length + 2
  }
  if (line.length > 0) lines.push(line.join(', '))
  return lines.length <= 1 ? `[${lines.join('')}]` : `[\n        ${lines.join(',\n        ')},\n    ]`
}
