/**
 * The structure description: a world's structure as text, one line per entity, component and column — what
 * must be equal for a snapshot of one world to be restored into another. Its hash is in the blob's header,
 * the text itself opens the payload, and a restore compares both.
 *
 * Structure: dt, seed and dtype; every entity's kind, name, size and parameters; merge keys; spike sources
 * and comm layers; series inputs' values; the components registered besides spikecs's own (name, layout,
 * the entities carrying them and their lengths); column names, types and lengths; the payload's sections.
 * Live values (population parameters, input scales, constant input values, fields) are state, not structure.
 */
import { fieldKind } from '../component-def.js'
import { crc32 } from '../crc32.js'
import { hashString, mix32 } from '../rng.js'
import type { Column } from '../storage.js'
import type { World } from '../world.js'
import { SnapshotError } from './error.js'
import { sectionsOf, stateColumns, userStores } from './sections.js'

export const hex = (x: number) => `0x${(x >>> 0).toString(16).padStart(8, '0')}`

/** Renders a small acyclic record (comm layers, parameters) with sorted keys; columns by name and length. */
function render(x: unknown, depth = 0): string {
  if (x === null || x === undefined) return String(x)
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x)
  if (typeof x === 'string') return JSON.stringify(x)
  if (typeof x === 'boolean') return x ? 'true' : 'false'
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}(${(x as unknown as ArrayLike<number>).length})`
  if (typeof x !== 'object' || depth > 3) return typeof x
  const o = x as Record<string, unknown>
  if ('owner' in o && 'name' in o && 'array' in o) {
    const c = o as unknown as Column
    return `column(${c.name}, ${c.type}, ${c.array.length})`
  }
  return (
    '{' +
    Object.keys(o)
      .sort()
      .map((k) => `${k}: ${render(o[k], depth + 1)}`)
      .join(', ') +
    '}'
  )
}

/** Hash of the bytes of a numeric array (series inputs): contents that are structure, not state. */
function hashValues(a: Float64Array): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
  return hex(crc32(b))
}

const COMPONENT_LINE = 'component '

/**
 * The line of each component registered besides spikecs's own: name, kind, layout (fields with their kinds,
 * columns with their types) and the entities carrying it (with their lengths, for schema components).
 */
function componentLines(world: World): string[] {
  return userStores(world).map((s) => {
    const c = s.def
    if (c.kind === 'record') return `${COMPONENT_LINE}${JSON.stringify(c.name)} record entities=${s.eids.join(',')}`
    const recs = s.list as { eid: number; length: number }[]
    const fields = Object.entries(c.fields)
      .map(([k, v]) => `${k}:${fieldKind(v)}`)
      .join(',')
    const cols = Object.entries(c.columns)
      .map(([k, t]) => `${k}:${t}`)
      .join(',')
    return (
      `${COMPONENT_LINE}${JSON.stringify(c.name)} schema fields=${fields} columns=${cols} ` +
      `entities=${recs.map((r) => `${r.eid}:${r.length}`).join(',')}`
    )
  })
}

export function describeStructure(world: World): string {
  const c = world.components
  const lines: string[] = [`world dtMs=${world.dtMs} seed=${world.seed} dtype=${world.dtype} neurons=${world.nNeurons}`]
  for (const p of c.Population.list) {
    lines.push(
      `population #${p.eid} ${JSON.stringify(p.name)} ${p.model} size=${p.size} start=${p.start} ` +
        `params=${p.params.length} state=${Object.keys(p.state).join(',')} queue=${p.queue?.eid ?? 0}`,
    )
  }
  for (const q of c.DelayQueue.list) {
    lines.push(
      `queue #${q.eid} pop=${q.pop} size=${q.size} length=${q.length} ` +
        `entries=${q.entries.map((e) => `${JSON.stringify(e.name)}:${e.latency}`).join(',')}`,
    )
  }
  for (const s of c.SynapseState.list) {
    lines.push(
      `synapse-state #${s.eid} ${s.kind} post=${s.post.eid} merged=${s.merged} key=${JSON.stringify(s.mergeKey)} ` +
        `params=${render(s.params)} derived=${Array.from(s.derived).join(',')} cols=${Object.keys(s.cols).join(',')} ` +
        `cond=${s.cond.name} output=${s.output?.eid ?? 0}`,
    )
  }
  for (const o of c.Output.list) {
    lines.push(
      `output #${o.eid} ${o.kind} post=${o.post.eid} label=${JSON.stringify(o.label)} params=${render(o.params)} state=${o.state.eid}`,
    )
  }
  for (const p of c.Projection.list) {
    const src = p.source
    const source =
      src.kind === 'queue'
        ? `queue(pop=${src.pop.eid}, queue=${src.queue.eid}, offset=${src.offset}, count=${src.count}, latency=${src.latency})`
        : `buffer(${src.buffer.eid})`
    lines.push(
      `projection #${p.eid} ${JSON.stringify(p.name)} ${p.kind} pre=${p.pre?.eid ?? 0} post=${p.post.eid} ` +
        `source=${source} state=${p.state.eid} delayMs=${p.delayMs} comm=${render(p.comm)}`,
    )
  }
  for (const x of c.Input.list) {
    lines.push(
      `input #${x.eid} ${JSON.stringify(x.name)} pop=${x.pop.eid} ${x.kind} perNeuron=${x.perNeuron} ` +
        `values=${x.values.length}${x.kind === 'series' ? `:${hashValues(x.values)}` : ''} after=${x.after}`,
    )
  }
  for (const b of c.SpikeBuffer.list) lines.push(`spike-buffer #${b.eid} ${JSON.stringify(b.name)} size=${b.size} readers=${b.readers}`)
  for (const m of c.Monitor.list) {
    lines.push(
      `monitor #${m.eid} ${JSON.stringify(m.name)} ${m.kind} pops=${m.pops.map((p) => p.eid).join(',')} ` +
        `ticks=[${m.startTick},${m.stopTick}) every=${m.every} max=${m.max} ring=${m.ring} width=${m.width} ` +
        `column=${m.column ? `${m.column.owner}:${m.column.name}` : '-'} ` +
        `probe=${m.probeIndices ? Array.from(m.probeIndices).join(',') : '-'}`,
    )
  }
  for (const k of c.Checker.list) {
    lines.push(
      `checker #${k.eid} ${JSON.stringify(k.name)} finite=${k.checkFinite} every=${k.every} ` +
        `maxRateHz=${k.maxRateHz} windowTicks=${k.windowTicks}`,
    )
  }
  lines.push(...componentLines(world))
  for (const col of stateColumns(world))
    lines.push(`column owner=${col.owner} ${JSON.stringify(col.name)} ${col.type} length=${col.array.length}`)
  lines.push(
    `sections ${sectionsOf(world)
      .map((s) => s.name)
      .join(',')}`,
  )
  return lines.join('\n')
}

/** 64-bit structure hash as two independent 32-bit hashes of the description. */
export function structureHash(text: string): [number, number] {
  let h = 0x9747b28c
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995) ^ (h >>> 15)
  return [hashString(text), mix32(h ^ text.length)]
}

const cut = (s: string | undefined) => (s === undefined ? '(nothing)' : s.length > 160 ? `${s.slice(0, 157)}...` : s)

/** The first line where two descriptions differ, as a phrase for a message. */
export function firstDifference(mine: string, theirs: string): string {
  const a = mine.split('\n'),
    b = theirs.split('\n')
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    if (a[k] !== b[k]) return `line ${k + 1}: this world has ${cut(a[k])}; the snapshot has ${cut(b[k])}`
  }
  return 'the descriptions are equal but their hashes differ'
}

/** The component lines of a description, by component name. */
function componentsIn(description: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of description.split('\n')) {
    if (!line.startsWith(COMPONENT_LINE)) continue
    const m = /^component ("(?:[^"\\]|\\.)*")/.exec(line)
    if (m !== null) out.set(JSON.parse(m[1]) as string, line)
  }
  return out
}

/**
 * Refuses a snapshot whose components (besides spikecs's own) differ from this world's, naming the first
 * component that is missing on either side or has another layout or other entities.
 */
export function checkComponents(mine: string, theirs: string): void {
  const a = componentsIn(mine),
    b = componentsIn(theirs)
  for (const [name, line] of b) {
    if (!a.has(name)) {
      throw componentRefusal(
        'component',
        name,
        `must be registered in this world: the snapshot holds component '${name}' ` +
          `(${cut(line)}) and this world has no component of that name (define it and attach it as in the ` +
          `world the snapshot was taken from)`,
      )
    }
    if (a.get(name) !== line) {
      throw componentRefusal(
        'component',
        name,
        `must have the layout and entities it had when the snapshot was taken: ` +
          `this world has ${cut(a.get(name))}; the snapshot has ${cut(line)}`,
      )
    }
  }
  for (const [name, line] of a) {
    if (!b.has(name)) {
      throw componentRefusal(
        'component',
        name,
        `is registered in this world (${cut(line)}) but the snapshot holds no component of that name`,
      )
    }
  }
}

function componentRefusal(param: string, value: string, requirement: string): SnapshotError {
  return new SnapshotError('component', param, value, requirement)
}
