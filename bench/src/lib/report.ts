/**
 * Where results go and what they carry: every JSON file records the machine (Node and V8 versions, CPU model
 * and count from `os.cpus()`, memory) and the date next to the figures, because figures from another machine
 * or another day are not comparable; the Markdown table is printed and kept as `latest-<suite>.md`.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Spread } from './stats.js'

/** The `bench/` folder (this file is `bench/dist/lib/report.js` or `bench/src/lib/report.ts`). */
export const benchRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The repository root. */
export const repoRoot = join(benchRoot, '..')
export const resultsDir = join(benchRoot, 'results')

export interface Machine {
  readonly node: string
  readonly v8: string
  readonly platform: string
  readonly cpu: string
  readonly cpus: number
  readonly memGiB: number
  readonly date: string
}

export function machine(): Machine {
  const cpus = os.cpus()
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cpus: cpus.length,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    date: new Date().toISOString(),
  }
}

/** One line naming the machine, for the top of every table. */
export function machineLine(m: Machine): string {
  return `${m.date.slice(0, 10)}, Node ${m.node} (V8 ${m.v8}), ${m.cpu} × ${m.cpus}, ${m.memGiB} GiB, ${m.platform}`
}

/** Writes `results/<date>-<suite>.json` and `results/latest-<suite>.md`; returns the paths. */
export function writeResults(suite: string, json: unknown, markdown: string): { json: string; md: string } {
  mkdirSync(resultsDir, { recursive: true })
  const day = new Date().toISOString().slice(0, 10)
  const jsonPath = join(resultsDir, `${day}-${suite}.json`)
  const mdPath = join(resultsDir, `latest-${suite}.md`)
  writeFileSync(jsonPath, `${JSON.stringify(json, null, 1)}\n`)
  writeFileSync(mdPath, markdown.endsWith('\n') ? markdown : `${markdown}\n`)
  return { json: jsonPath, md: mdPath }
}

/** A Markdown table. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

/** A number with `digits` significant digits (no exponent for the ranges we print). */
export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '–'
  if (x === 0) return '0'
  const mag = Math.floor(Math.log10(Math.abs(x)))
  const decimals = Math.max(0, digits - 1 - mag)
  return x.toFixed(Math.min(decimals, 6))
}

/** `median [q1–q3]` of a spread. */
export function iqrText(s: Spread, digits = 3): string {
  return `${sig(s.median, digits)} [${sig(s.q1, digits)}–${sig(s.q3, digits)}]`
}

/** `median [min–max]` of a spread. */
export function rangeText(s: Spread, digits = 3): string {
  return `${sig(s.median, digits)} [${sig(s.min, digits)}–${sig(s.max, digits)}]`
}

/** A ratio as `1.23×`, with its min–max over pairs. */
export function ratioText(s: Spread): string {
  return `${sig(s.median, 3)}× [${sig(s.min, 3)}–${sig(s.max, 3)}]`
}
