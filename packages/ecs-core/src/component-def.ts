/**
 * Component definitions. A component is defined once (a plain, immutable description, shareable between worlds)
 * and gets one store per world the first time it is used there. Two kinds, one API:
 *
 * - a **schema component** (`defineComponent`) declares plain fields with their defaults and per-element
 *   typed-array columns; spikecs creates its records, checks the values given, allocates the columns through
 *   the world's column allocator (so kernels, memory accounting and snapshots see them) and snapshots the
 *   fields and columns generically;
 * - a **record component** (`defineRecordComponent`) holds records you build yourself. spikecs's own
 *   components (`Population`, `Projection`, `DelayQueue`, `SynapseState`, `Output`, `Input`, `SpikeBuffer`,
 *   `Monitor`, `Checker`) are record components; their state is saved by the snapshot sections written for
 *   them, and a user's record component is named in a snapshot's structure but its records are not saved.
 *
 * Nothing here touches a world; `component.ts` attaches, queries and removes.
 */
import { SpikecsError } from './errors.js'
import type { Column, ColumnType, FloatArray } from './storage.js'
import { checkName } from './validate.js'

/** What a field may hold: what a snapshot can save. */
export type FieldValue = number | boolean | string | readonly number[]
/** Field names → default values. */
export type FieldDefaults = Readonly<Record<string, FieldValue>>
/** Column names → element type (`state` is the world's dtype: float32 or float64). */
export type ColumnSpec = Readonly<Record<string, ColumnType>>

/** The kind of a field, from its default. */
export type FieldKind = 'number' | 'boolean' | 'string' | 'numbers'

/** A field's runtime type, from the type of its default. */
export type FieldOf<V> = V extends number ? number : V extends boolean ? boolean : V extends string ? string : number[]

/** The typed array of a column type. */
export type ArrayOf<T extends ColumnType> = T extends 'f32'
  ? Float32Array
  : T extends 'f64'
    ? Float64Array
    : T extends 'i32'
      ? Int32Array
      : T extends 'u32'
        ? Uint32Array
        : T extends 'u8'
          ? Uint8Array
          : FloatArray

/**
 * The record of a schema component on one entity: its entity id, its number of elements (the length of every
 * column), its fields (plain values you read and write) and its columns (read `col.array` each time you start
 * work: a world on a non-shared WebAssembly memory re-points arrays when it grows).
 */
export type SchemaRecord<F extends FieldDefaults, C extends ColumnSpec> = { readonly eid: number; readonly length: number } & {
  -readonly [K in keyof F]: FieldOf<F[K]>
} & { readonly [K in keyof C]: Column<ArrayOf<C[K]>> }

/**
 * Initial values of a schema record: `length` (elements per column; default: the size of the population the
 * entity is), any field (a value of its default's type), any column (one number for every element, or one
 * value per element). What is left out takes the default (columns: 0).
 */
export type SchemaInit<F extends FieldDefaults, C extends ColumnSpec> = { length?: number } & { [K in keyof F]?: FieldOf<F[K]> } & {
  [K in keyof C]?: number | ArrayLike<number>
}

declare const recordType: unique symbol
declare const initType: unique symbol

/** A component definition. `R` is the record an entity carries, `I` what `addComponent` takes to make it. */
export interface Component<R extends object = object, I = unknown> {
  readonly name: string
  readonly kind: 'schema' | 'record'
  /** Schema components: the fields and their defaults, in declaration order (empty for record components). */
  readonly fields: FieldDefaults
  /** Schema components: the columns and their element types, in declaration order. */
  readonly columns: ColumnSpec
  /** Type-level only: the record type and the initial values. */
  readonly [recordType]?: R
  readonly [initType]?: I
}

/** A component's store in one world: the object bitecs registers as the component, entity id → record. */
export interface Store<T extends object = object> {
  /** The definition (not named `component`: bitecs reads an object with that key as a value to set). */
  readonly def: Component<T, unknown>
  readonly name: string
  readonly byEid: (T | undefined)[]
  /** Records in the order they were attached. */
  readonly list: T[]
  /** The entity of each record of `list`. */
  readonly eids: number[]
}

/** A new, empty store of `component` (one per world; `registerComponent` makes it). */
export function createStore<T extends object>(component: Component<T, unknown>): Store<T> {
  return { def: component, name: component.name, byEid: [], list: [], eids: [] }
}

/** Names a record has besides its fields and columns. */
const RESERVED = ['eid', 'length']

/** The kind of a field default, or null when a snapshot could not hold it. */
export function fieldKind(value: unknown): FieldKind | null {
  if (typeof value === 'number') return 'number'
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'string') return 'string'
  if (Array.isArray(value) && value.every((x) => typeof x === 'number')) return 'numbers'
  return null
}

const COLUMN_TYPES: readonly ColumnType[] = ['state', 'f32', 'f64', 'i32', 'u32', 'u8']

/**
 * Defines a schema component: `fields` (name → default: a number, boolean, string or array of numbers) and
 * `columns` (name → element type: `'f32'`, `'f64'`, `'i32'`, `'u32'`, `'u8'`, or `'state'` for the world's
 * dtype), each column with one element per element of the entity (e.g. per neuron of a population). Throws
 * on a name that is not a valid name, a default a snapshot could not hold, an unknown column type, or a name
 * used twice.
 *
 * ```ts
 * const Homeostasis = defineComponent('Homeostasis', {
 *   fields: { eta: 0.02, everyTicks: 100 },
 *   columns: { target: 'f64', rate: 'f64' },
 * })
 * ```
 */
// biome-ignore lint/complexity/noBannedTypes: `{}` is the type of no fields and no columns, what a definition without them has
export function defineComponent<const F extends FieldDefaults = {}, const C extends ColumnSpec = {}>(
  name: string,
  spec: { fields?: F; columns?: C } = {},
): Component<SchemaRecord<F, C>, SchemaInit<F, C>> {
  checkName('component', name)
  const object = `component '${name}'`
  if (spec === null || typeof spec !== 'object') {
    throw new SpikecsError(object, 'spec', spec, 'must be an object { fields?, columns? }')
  }
  for (const key of Object.keys(spec)) {
    if (key !== 'fields' && key !== 'columns') {
      throw new SpikecsError(
        object,
        key,
        (spec as Record<string, unknown>)[key],
        'is not part of a component definition (known: fields, columns)',
      )
    }
  }
  const given = { fields: (spec.fields ?? {}) as FieldDefaults, columns: (spec.columns ?? {}) as ColumnSpec }
  for (const part of ['fields', 'columns'] as const) {
    if (given[part] === null || typeof given[part] !== 'object' || Array.isArray(given[part])) {
      throw new SpikecsError(object, part, given[part], 'must be an object of names')
    }
  }
  const fields: Record<string, FieldValue> = {}
  for (const [key, value] of Object.entries(given.fields)) {
    checkName(`${object} field`, key)
    if (RESERVED.includes(key)) throw new SpikecsError(object, `fields.${key}`, value, `uses a reserved name (${RESERVED.join(', ')})`)
    if (fieldKind(value) === null) {
      throw new SpikecsError(
        object,
        `fields.${key}`,
        value,
        'must be a number, a boolean, a string or an array of numbers (what a snapshot can hold)',
      )
    }
    fields[key] = Array.isArray(value) ? Object.freeze(Array.from(value as readonly number[])) : value
  }
  const columns: Record<string, ColumnType> = {}
  for (const [key, type] of Object.entries(given.columns)) {
    checkName(`${object} column`, key)
    if (RESERVED.includes(key)) throw new SpikecsError(object, `columns.${key}`, type, `uses a reserved name (${RESERVED.join(', ')})`)
    if (key in fields) throw new SpikecsError(object, `columns.${key}`, type, 'is also the name of a field')
    if (!COLUMN_TYPES.includes(type)) {
      throw new SpikecsError(object, `columns.${key}`, type, `must be a column type (${COLUMN_TYPES.map((t) => `'${t}'`).join(', ')})`)
    }
    columns[key] = type
  }
  return Object.freeze({ name, kind: 'schema', fields: Object.freeze(fields), columns: Object.freeze(columns) }) as Component<
    SchemaRecord<F, C>,
    SchemaInit<F, C>
  >
}

/**
 * Defines a record component: entities carry records of type `T` that you build and pass to `addComponent`.
 * Its records are not saved by snapshots (a snapshot names the component and the entities that carry it, so a
 * restore into a world without it is refused); keep state that must survive a restore in a schema component.
 */
export function defineRecordComponent<T extends object>(name: string): Component<T, T> {
  checkName('component', name)
  return Object.freeze({ name, kind: 'record', fields: Object.freeze({}), columns: Object.freeze({}) }) as Component<T, T>
}
