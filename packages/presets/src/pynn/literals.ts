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

/** Written as an escape: every control, format, private-use, unassigned or surrogate code point, every separator but the plain space. */
const UNPRINTABLE = /[\p{C}\p{Z}]/u
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' }

/**
 * A Python string literal (double quotes) of a string the exporter did not write itself — a name, a label, a
 * file name: quotes and backslashes escaped, and every character that does not print as itself (controls,
 * line and paragraph separators, bidirectional and other format characters, white space other than the plain
 * space) written as `\n`, `\xNN`, `\uNNNN` or `\UNNNNNNNN`, so the literal is one line that means exactly `s`.
 */
export function pyStr(s: string): string {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    const short = SHORT_ESCAPES[ch]
    if (short !== undefined) out += short
    else if (ch !== ' ' && UNPRINTABLE.test(ch)) {
      out +=
        cp < 0x100
          ? `\\x${cp.toString(16).padStart(2, '0')}`
          : cp < 0x10000
            ? `\\u${cp.toString(16).padStart(4, '0')}`
            : `\\U${cp.toString(16).padStart(8, '0')}`
    } else out += ch
  }
  return `${out}"`
}

/**
 * A string the exporter did not write itself, for prose (comments and the header's docstring): as it is when
 * every character prints as itself and none is a quote or a backslash, else as its `pyStr` literal. Either way
 * it cannot end a comment or the docstring.
 */
export function pyText(s: string): string {
  for (const ch of s) if (ch === '"' || ch === '\\' || (ch !== ' ' && UNPRINTABLE.test(ch))) return pyStr(s)
  return s.length > 0 ? s : '""'
}

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
