/**
 * The section table: what a snapshot's payload holds after the structure description, in order. One table
 * drives both `snapshot` (each section's `write`, in table order) and `restore` (each section's `read`, in the
 * same order, then every `commit`): the order is written once, in {@link CORE_SECTIONS}, and the sections a
 * world registered (`addSnapshotSection`) follow it in registration order.
 *
 * Each section's payload is preceded by its name (text), so a payload that does not match the table is
 * refused as corrupted at the section where it goes wrong. A section's `read` checks what it reads against
 * the world and changes nothing; `commit` writes in place wherever an array keeps its size, so the arrays the
 * systems' plan holds stay valid.
 */
import { BUILTIN_COMPONENTS, type CheckerData, type MonitorData } from '../components.js'
import { fieldKind, type FieldKind, type Store } from '../component-def.js'
import { SpikecsError } from '../errors.js'
import { Stream, entityKey } from '../rng.js'
import { allocArray, type AnyTypedArray, type Column } from '../storage.js'
import { checkName } from '../validate.js'
import type { SnapshotSection, World } from '../world.js'
import type { SnapshotReader } from './binary.js'

/**
 * The columns that are state. Columns of entity 0 are kernel scratch and tables the WebAssembly kernels
 * derive from the structure when a plan is built (staging, gap tables, sort buffers): not saved, so a
 * snapshot taken after running restores into a world that has not been planned yet.
 */
export function stateColumns(world: World): Column[] {
  return world.columns.filter((c) => c.owner !== 0)
}

/** Components registered in the world besides spikecs's own, in registration order. */
export function userStores(world: World): Store[] {
  return Object.values(world.components).filter((s): s is Store => s !== undefined && !BUILTIN_COMPONENTS.includes(s.def as never))
}

/** Monitor widths: elements per record in `indices` and in `values`. */
function monitorWidths(m: MonitorData): [number, number] {
  if (m.kind === 'spikes') return [1, 0]
  if (m.kind === 'rate') return [m.width, 0]
  return [0, m.width]
}

/** Throws (as a corrupted payload) when `got` differs from what the world has. */
function expect(r: SnapshotReader, what: string, got: number, want: number): void {
  if (got !== want) r.fail(`${what} is ${got}, expected ${want}`)
}

// ---------------------------------------------------------------------------------------------------------
// The sections

/** The clock. */
const clock: SnapshotSection<number> = {
  name: 'clock',
  write: (world, w) => w.f64(world.tick),
  read: (_, r) => {
    const tick = r.f64()
    if (!Number.isInteger(tick) || tick < 0) r.fail(`tick ${tick} is not a tick`)
    return tick
  },
  commit: (world, tick) => {
    world.tick = tick
  },
}

/** Every state column, in table order, byte for byte. */
const columns: SnapshotSection<AnyTypedArray[]> = {
  name: 'columns',
  write: (world, w) => {
    const cols = stateColumns(world)
    w.u32(cols.length)
    for (const col of cols) {
      w.u32(col.array.length)
      w.array(col.array)
    }
  },
  read: (world, r) => {
    const cols = stateColumns(world)
    expect(r, 'number of columns', r.u32(), cols.length)
    return cols.map((col) => {
      expect(r, `length of column '${col.name}' of entity ${col.owner}`, r.u32(), col.array.length)
      return r.array(col.array, col.array.length)
    })
  },
  commit: (world, staged) => stateColumns(world).forEach((col, k) => (col.array as Float64Array).set(staged[k] as Float64Array)),
}

/** Populations: the spike count of the last tick and the parameter block (live: `setParam` edits it). */
const populations: SnapshotSection<{ nSpikes: number; params: Float64Array }[]> = {
  name: 'populations',
  write: (world, w) => {
    for (const p of world.components.Population.list) {
      w.u32(p.nSpikes)
      w.u32(p.params.length)
      w.array(p.params)
    }
  },
  read: (world, r) =>
    world.components.Population.list.map((p) => {
      const nSpikes = r.u32()
      if (nSpikes > p.size) r.fail(`population '${p.name}' has ${nSpikes} spikes for ${p.size} neurons`)
      expect(r, `parameter block of '${p.name}'`, r.u32(), p.params.length)
      return { nSpikes, params: r.array(Float64Array, p.params.length) }
    }),
  commit: (world, staged) =>
    world.components.Population.list.forEach((p, k) => {
      p.nSpikes = staged[k].nSpikes
      p.params.set(staged[k].params)
    }),
}

/** Delay queues: head, then per slot its capacity, count and valid indices. */
const queues: SnapshotSection<{ head: number; caps: number[]; counts: number[]; slots: Int32Array[] }[]> = {
  name: 'queues',
  write: (world, w) => {
    for (const q of world.components.DelayQueue.list) {
      w.u32(q.length)
      w.u32(q.head)
      for (let s = 0; s < q.length; s++) {
        w.u32(q.slots[s].length)
        w.u32(q.counts[s])
        w.array(q.slots[s], q.counts[s])
      }
    }
  },
  read: (world, r) =>
    world.components.DelayQueue.list.map((q) => {
      expect(r, `length of the queue of '${q.popName}'`, r.u32(), q.length)
      const head = r.u32()
      if (head >= q.length) r.fail(`queue head ${head} outside a ring of ${q.length}`)
      const caps: number[] = [],
        counts: number[] = [],
        slots: Int32Array[] = []
      for (let s = 0; s < q.length; s++) {
        const cap = r.u32(),
          n = r.u32()
        if (n > cap || cap > Math.max(q.size, 64) || cap === 0) r.fail(`queue slot with ${n} of ${cap} for ${q.size} neurons`)
        caps.push(cap)
        counts.push(n)
        slots.push(r.array(Int32Array, n))
      }
      return { head, caps, counts, slots }
    }),
  commit: (world, staged) =>
    world.components.DelayQueue.list.forEach((q, k) => {
      const sq = staged[k]
      q.head = sq.head
      for (let slot = 0; slot < q.length; slot++) {
        if (q.slots[slot].length !== sq.caps[slot]) q.slots[slot] = allocArray(world, 'i32', sq.caps[slot]) as Int32Array
        q.slots[slot].set(sq.slots[slot])
        q.counts[slot] = sq.counts[slot]
      }
    }),
}

/** Spike buffers: the indices pushed for the coming tick. */
const spikeBuffers: SnapshotSection<{ count: number; indices: Int32Array }[]> = {
  name: 'spike-buffers',
  write: (world, w) => {
    for (const b of world.components.SpikeBuffer.list) {
      w.u32(b.count)
      w.array(b.indices, b.count)
    }
  },
  read: (world, r) =>
    world.components.SpikeBuffer.list.map((b) => {
      const count = r.u32()
      if (count > b.size) r.fail(`spike buffer '${b.name}' holds ${count} of ${b.size}`)
      return { count, indices: r.array(Int32Array, count) }
    }),
  commit: (world, staged) =>
    world.components.SpikeBuffer.list.forEach((b, k) => {
      b.indices.set(staged[k].indices)
      b.count = staged[k].count
    }),
}

/** Inputs: the live scale; the values of constant inputs (`setInput` edits them). */
const inputs: SnapshotSection<{ scale: number; values: Float64Array }[]> = {
  name: 'inputs',
  write: (world, w) => {
    for (const x of world.components.Input.list) {
      w.f64(x.scale)
      const n = x.kind === 'constant' ? x.values.length : 0
      w.u32(n)
      w.array(x.values, n)
    }
  },
  read: (world, r) =>
    world.components.Input.list.map((x) => {
      const scale = r.f64()
      const n = x.kind === 'constant' ? x.values.length : 0
      expect(r, `values of input '${x.name}'`, r.u32(), n)
      return { scale, values: r.array(Float64Array, n) }
    }),
  commit: (world, staged) =>
    world.components.Input.list.forEach((x, k) => {
      x.scale = staged[k].scale
      x.values.set(staged[k].values)
    }),
}

interface StagedMonitor {
  cap: number
  count: number
  first: number
  dropped: number
  ticks: Int32Array
  indices: Int32Array
  values: Float64Array
}

/** Monitors: capacity, count, ring start, dropped, then the `count` records held. */
const monitors: SnapshotSection<StagedMonitor[]> = {
  name: 'monitors',
  write: (world, w) => {
    for (const m of world.components.Monitor.list) {
      const [wi, wv] = monitorWidths(m)
      w.u32(m.ticks.length)
      w.u32(m.count)
      w.u32(m.first)
      w.f64(m.dropped)
      w.array(m.ticks, m.count)
      w.array(m.indices, m.count * wi)
      w.array(m.values, m.count * wv)
    }
  },
  read: (world, r) =>
    world.components.Monitor.list.map((m) => {
      const [wi, wv] = monitorWidths(m)
      const cap = r.u32(),
        count = r.u32(),
        first = r.u32()
      const dropped = r.f64()
      if (count > cap || cap > m.max || (count > 0 && first >= count) || !(dropped >= 0)) {
        r.fail(`monitor '${m.name}' with ${count} records of ${cap} (max ${m.max}), first ${first}`)
      }
      return {
        cap,
        count,
        first,
        dropped,
        ticks: r.array(Int32Array, count),
        indices: r.array(Int32Array, count * wi),
        values: r.array(Float64Array, count * wv),
      }
    }),
  commit: (world, staged) =>
    world.components.Monitor.list.forEach((m, k) => {
      const sm = staged[k]
      const [wi, wv] = monitorWidths(m)
      m.ticks = new Int32Array(sm.cap)
      m.ticks.set(sm.ticks)
      m.indices = new Int32Array(sm.cap * wi)
      m.indices.set(sm.indices)
      m.values = new Float64Array(sm.cap * wv)
      m.values.set(sm.values)
      m.count = sm.count
      m.first = sm.first
      m.dropped = sm.dropped
    }),
}

interface StagedChecker {
  cursor: number
  windows: Int32Array[]
  sums: Float64Array
}

function restoreChecker(ch: CheckerData, sc: StagedChecker, nPops: number): void {
  ch.cursor = sc.cursor
  if (sc.windows.length === 0) {
    // Saved before its first tick: empty windows (kept in place if this world's plan made them already).
    for (const win of ch.windows) win.fill(0)
    ch.sums.fill(0)
    return
  }
  if (ch.windows.length !== nPops) {
    ch.windows.length = 0
    for (let p = 0; p < nPops; p++) ch.windows.push(new Int32Array(ch.windowTicks))
    ch.sums = new Float64Array(nPops)
  }
  ch.windows.forEach((win, p) => win.set(sc.windows[p]))
  ch.sums.set(sc.sums)
}

/** Checkers: cursor, then per population its window counts, and their sums (no windows before the first plan). */
const checkers: SnapshotSection<StagedChecker[]> = {
  name: 'checkers',
  write: (world, w) => {
    for (const k of world.components.Checker.list) {
      w.u32(k.cursor)
      w.u32(k.windows.length)
      for (const win of k.windows) w.array(win)
      w.array(k.sums, k.windows.length)
    }
  },
  read: (world, r) => {
    const nPops = world.components.Population.list.length
    return world.components.Checker.list.map((k) => {
      const cursor = r.u32()
      const n = r.u32()
      if (n !== 0 && n !== nPops) r.fail(`checker '${k.name}' has ${n} windows for ${nPops} populations`)
      if (cursor >= k.windowTicks) r.fail(`checker '${k.name}' cursor ${cursor} outside ${k.windowTicks} ticks`)
      const windows: Int32Array[] = []
      for (let p = 0; p < n; p++) windows.push(r.array(Int32Array, k.windowTicks))
      return { cursor, windows, sums: r.array(Float64Array, n) }
    })
  },
  commit: (world, staged) => {
    const nPops = world.components.Population.list.length
    world.components.Checker.list.forEach((ch, k) => restoreChecker(ch, staged[k], nPops))
  },
}

/** The fields of schema components a world registered besides spikecs's own (their columns are in `columns`). */
function schemaFields(world: World): { store: Store; keys: string[]; kinds: FieldKind[] }[] {
  return userStores(world)
    .filter((s) => s.def.kind === 'schema')
    .map((store) => {
      const keys = Object.keys(store.def.fields)
      return { store, keys, kinds: keys.map((k) => fieldKind(store.def.fields[k]) as FieldKind) }
    })
}

/**
 * User components: every field of every record of each schema component, in registration order, records in
 * attach order, fields in declaration order (numbers f64, booleans u32, strings text, arrays u32 length + f64).
 */
const components: SnapshotSection<unknown[][][]> = {
  name: 'components',
  write: (world, w) => {
    for (const { store, keys, kinds } of schemaFields(world)) {
      for (const rec of store.list as Record<string, unknown>[]) {
        keys.forEach((key, f) => {
          const v = rec[key]
          if (fieldKind(v) !== kinds[f]) {
            throw new SpikecsError(
              `component '${store.name}' of entity ${rec.eid}`,
              key,
              v,
              `must hold ${kinds[f] === 'numbers' ? 'an array of numbers' : `a ${kinds[f]}`} like its default to be saved in a snapshot`,
            )
          }
          if (kinds[f] === 'number') w.f64(v as number)
          else if (kinds[f] === 'boolean') w.u32(v ? 1 : 0)
          else if (kinds[f] === 'string') w.text(v as string)
          else {
            w.u32((v as number[]).length)
            w.array(Float64Array.from(v as number[]))
          }
        })
      }
    }
  },
  read: (world, r) =>
    schemaFields(world).map(({ store, keys, kinds }) =>
      store.list.map(() =>
        keys.map((key, f) => {
          if (kinds[f] === 'number') return r.f64()
          if (kinds[f] === 'string') return r.text()
          if (kinds[f] === 'boolean') {
            const b = r.u32()
            if (b > 1) r.fail(`field '${key}' of component '${store.name}' holds ${b}, not a boolean`)
            return b === 1
          }
          return Array.from(r.array(Float64Array, r.u32()))
        }),
      ),
    ),
  commit: (world, staged) =>
    schemaFields(world).forEach(({ store, keys }, s) => {
      ;(store.list as Record<string, unknown>[]).forEach((rec, k) =>
        keys.forEach((key, f) => {
          rec[key] = staged[s][k][f]
        }),
      )
    }),
}

/** Random streams, by purpose in sorted order (streams the snapshot does not hold go back to their start). */
const streams: SnapshotSection<{ name: string; state: number[] }[]> = {
  name: 'streams',
  write: (world, w) => {
    const names = [...world.streams.keys()].sort()
    w.u32(names.length)
    for (const name of names) {
      w.text(name)
      const s = (world.streams.get(name) as Stream).getState()
      for (let k = 0; k < 4; k++) w.i32(s[k])
      w.u32(s[4])
      w.f64(s[5])
    }
  },
  read: (_, r) => {
    const n = r.u32()
    const out: { name: string; state: number[] }[] = []
    for (let k = 0; k < n; k++) {
      const name = r.text()
      out.push({ name, state: [r.i32(), r.i32(), r.i32(), r.i32(), r.u32(), r.f64()] })
    }
    return out
  },
  commit: (world, staged) => {
    // Streams the snapshot does not hold had not been drawn from when it was taken: back to their start.
    const saved = new Set(staged.map((st) => st.name))
    for (const [name, stream] of world.streams) {
      if (!saved.has(name)) stream.setState(new Stream(entityKey(world.seed, name)).getState())
    }
    for (const st of staged) {
      let stream = world.streams.get(st.name)
      if (stream === undefined) {
        stream = new Stream(entityKey(world.seed, st.name))
        world.streams.set(st.name, stream)
      }
      stream.setState(st.state)
    }
  },
}

/** The sections of every snapshot, in payload order. */
export const CORE_SECTIONS: readonly SnapshotSection[] = Object.freeze([
  clock,
  columns,
  populations,
  queues,
  spikeBuffers,
  inputs,
  monitors,
  checkers,
  components,
  streams,
] as SnapshotSection[])

/** The sections of `world`'s snapshots, in payload order: the core sections, then the registered ones. */
export function sectionsOf(world: World): readonly SnapshotSection[] {
  return world.sections.length === 0 ? CORE_SECTIONS : [...CORE_SECTIONS, ...world.sections]
}

/**
 * Registers a snapshot section on `world` (see {@link SnapshotSection}): its state is written after the core
 * sections and those registered before it, and its name joins the world's structure, so a snapshot restores
 * only into a world that registered the same sections. Registering the same section object again does
 * nothing; another section of the same name is an error.
 */
export function addSnapshotSection(world: World, section: SnapshotSection): void {
  if (
    section === null ||
    typeof section !== 'object' ||
    typeof section.write !== 'function' ||
    typeof section.read !== 'function' ||
    typeof section.commit !== 'function'
  ) {
    throw new SpikecsError('addSnapshotSection', 'section', section, 'must be an object { name, write, read, commit }')
  }
  checkName('snapshot section', section.name)
  if (world.sections.includes(section)) return
  if (sectionsOf(world).some((s) => s.name === section.name)) {
    throw new SpikecsError(`snapshot section '${section.name}'`, 'name', section.name, 'is already used by another section of this world')
  }
  world.sections.push(section)
}
