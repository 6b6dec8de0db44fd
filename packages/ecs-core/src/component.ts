/**
 * The component API: plain functions, world first (bitecs's style). Register a component with a world, create
 * entities, attach a component with initial values, read it, query the entities that carry a set of components,
 * and detach it. spikecs's own builders go through the same functions (`addRecord` is `addEntity` +
 * `addComponent` with a unique name).
 *
 * Queries are for build time and for systems that resolve their work once: a system should query once (when
 * it is created, or when `world.version` changes), or per tick only over a handful of entities (a population
 * or two); never inside a per-neuron or per-event loop.
 *
 * Every attach or detach increments `world.version`, so the systems' plan is rebuilt before the next tick.
 */
import {
  addComponent as bitecsAddComponent,
  addEntity as bitecsAddEntity,
  entityExists,
  query as bitecsQuery,
  removeComponent as bitecsRemoveComponent,
} from 'bitecs'
import { createStore, fieldKind, type Component, type FieldValue, type SchemaInit, type SchemaRecord, type Store } from './component-def.js'
import { BUILTIN_COMPONENTS } from './components.js'
import { SpikecsError } from './errors.js'
import { allocColumn, type Column, type ColumnHost, type ColumnType } from './storage.js'
import { checkFinite, checkInteger, checkName } from './validate.js'
import type { World } from './world.js'

const NONE: readonly number[] = Object.freeze([])

/** The store of `component` in `world`, or undefined when it was never registered there. */
function storeIn<T extends object>(world: World, component: Component<T, unknown>, object: string): Store<T> | undefined {
  if (component === null || typeof component !== 'object' || typeof component.name !== 'string') {
    throw new SpikecsError(object, 'component', component, 'must be a component made by defineComponent or defineRecordComponent')
  }
  const store = world.components[component.name] as Store<T> | undefined
  if (store !== undefined && store.def !== component) {
    throw new SpikecsError(
      object,
      'component',
      component.name,
      'is another definition than the component registered under this name in this world (define each component once)',
    )
  }
  return store
}

/**
 * The store of `component` in `world`, registering it on first use (its name must be free in this world).
 * Registering puts the component into `world.components` and into the world's structure (snapshots name it).
 */
export function registerComponent<T extends object>(world: World, component: Component<T, unknown>): Store<T> {
  const existing = storeIn(world, component, 'registerComponent')
  if (existing !== undefined) return existing
  const store = createStore(component)
  ;(world.components as unknown as Record<string, Store<object>>)[component.name] = store as unknown as Store<object>
  world.version++
  return store
}

/** A new entity of `world` (an integer id; ids are never reused, as spikecs removes no entity). */
export function addEntity(world: World): number {
  return bitecsAddEntity(world)
}

function checkEntity(world: World, object: string, eid: unknown): number {
  if (typeof eid !== 'number' || !Number.isInteger(eid) || eid <= 0 || !entityExists(world, eid)) {
    throw new SpikecsError(
      object,
      'eid',
      eid,
      'must be an entity of this world (from addEntity, or the eid of a record such as a population)',
    )
  }
  return eid
}

const INT_RANGE: Partial<Record<ColumnType, [number, number]>> = { i32: [-(2 ** 31), 2 ** 31 - 1], u32: [0, 2 ** 32 - 1], u8: [0, 255] }

function checkElement(object: string, param: string, type: ColumnType, x: unknown): number {
  const range = INT_RANGE[type]
  return range === undefined ? checkFinite(object, param, x) : checkInteger(object, param, x, range[0], range[1])
}

/** Checks a field value against its default's kind; arrays are copied. */
function checkField(object: string, key: string, value: unknown, def: FieldValue): FieldValue {
  const kind = fieldKind(def)
  if (fieldKind(value) !== kind) {
    throw new SpikecsError(
      object,
      key,
      value,
      `must be ${kind === 'numbers' ? 'an array of numbers' : `a ${kind}`} like its default ` +
        '(fields hold numbers, booleans, strings or arrays of numbers)',
    )
  }
  return Array.isArray(value) ? Array.from(value as readonly number[]) : (value as FieldValue)
}

function makeSchemaRecord(world: World, eid: number, c: Component, init: Record<string, unknown>): object {
  const object = `component '${c.name}' of entity ${eid}`
  if (init === null || typeof init !== 'object') {
    throw new SpikecsError(object, 'init', init, 'must be an object of initial values ({ length?, fields…, columns… })')
  }
  for (const key of Object.keys(init)) {
    if (key !== 'length' && !(key in c.fields) && !(key in c.columns)) {
      const known = ['length', ...Object.keys(c.fields), ...Object.keys(c.columns)]
      throw new SpikecsError(object, key, init[key], `is not a field or column of the component (known: ${known.join(', ')})`)
    }
  }
  const pop = world.components.Population.byEid[eid]
  const hasColumns = Object.keys(c.columns).length > 0
  let length = 0
  if (init.length !== undefined) length = checkInteger(object, 'length', init.length, 0, 2 ** 31 - 1)
  else if (pop !== undefined) length = pop.size
  else if (hasColumns) {
    throw new SpikecsError(object, 'length', undefined, 'must be given: the entity is not a population, whose size would be the default')
  }
  const record: Record<string, unknown> = { eid, length }
  for (const [key, def] of Object.entries(c.fields)) {
    const given = init[key]
    if (given !== undefined) record[key] = checkField(object, key, given, def)
    else record[key] = Array.isArray(def) ? Array.from(def as readonly number[]) : def
  }
  // Every initial value is checked before any column is allocated: a refused attach leaves nothing behind.
  const inits = Object.entries(c.columns).map(([key, type]) => {
    const v = init[key]
    if (v === undefined) return { key, type, v: 0 }
    if (typeof v === 'number') return { key, type, v: checkElement(object, key, type, v) }
    if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
      throw new SpikecsError(object, key, v, `must be a number or an array of ${length} numbers`)
    }
    const values = v as ArrayLike<number>
    if (values.length !== length) throw new SpikecsError(object, key, v, `must have ${length} values (one per element)`)
    for (let i = 0; i < length; i++) checkElement(object, `${key}[${i}]`, type, values[i])
    return { key, type, v: values }
  })
  for (const { key, type, v } of inits) {
    const col = allocAny(world, eid, `${c.name}.${key}`, type, length)
    if (typeof v === 'number') col.array.fill(v)
    else for (let i = 0; i < length; i++) col.array[i] = v[i]
    record[key] = col
  }
  return record
}

/** `allocColumn` with the element type known only at run time. */
const allocAny = allocColumn as (host: ColumnHost, owner: number, name: string, type: ColumnType, n: number) => Column

type InitArgs<I> = undefined extends I ? [init?: I] : [init: I]

/**
 * Attaches `component` to entity `eid` and returns its record. A schema component takes initial values
 * (`{ length?, field: value, column: number | values }`); a record component takes the record itself. Throws
 * on an entity that does not exist, a component the entity already has, or an initial value of the wrong
 * kind, naming the component, the entity and the value.
 */
export function addComponent<F extends Record<string, FieldValue>, C extends Record<string, ColumnType>>(
  world: World,
  eid: number,
  component: Component<SchemaRecord<F, C>, SchemaInit<F, C>>,
  init?: SchemaInit<F, C>,
): SchemaRecord<F, C>
export function addComponent<R extends object, I>(world: World, eid: number, component: Component<R, I>, ...init: InitArgs<I>): R
export function addComponent(world: World, eid: number, component: Component, init?: unknown): object {
  const existing = storeIn(world, component, 'addComponent')
  checkEntity(world, `component '${component.name}'`, eid)
  if (existing?.byEid[eid] !== undefined) {
    throw new SpikecsError(`entity ${eid}`, 'component', component.name, 'is attached already (an entity carries a component once)')
  }
  let record: object
  if (component.kind === 'schema') {
    record = makeSchemaRecord(world, eid, component, (init === undefined ? {} : init) as Record<string, unknown>)
  } else {
    if (init === null || typeof init !== 'object') {
      throw new SpikecsError(
        `component '${component.name}' of entity ${eid}`,
        'record',
        init,
        'must be the record object the entity carries',
      )
    }
    record = init
  }
  const store = registerComponent(world, component)
  bitecsAddComponent(world, eid, store)
  store.byEid[eid] = record
  store.list.push(record)
  store.eids.push(eid)
  world.version++
  return record
}

/** The record of `component` on entity `eid`, or undefined when the entity does not carry it. */
export function getComponent<R extends object>(world: World, eid: number, component: Component<R, unknown>): R | undefined {
  return storeIn(world, component, 'getComponent')?.byEid[eid]
}

/** True when entity `eid` carries `component`. */
export function hasComponent(world: World, eid: number, component: Component): boolean {
  return getComponent(world, eid, component) !== undefined
}

/**
 * Detaches `component` from entity `eid` (a schema component's columns leave the world's column table).
 * spikecs's own components stay for the life of the world: the plan and other entities hold them.
 */
export function removeComponent(world: World, eid: number, component: Component): void {
  const store = storeIn(world, component, 'removeComponent')
  const record = store?.byEid[eid]
  if (store === undefined || record === undefined) {
    throw new SpikecsError(`entity ${eid}`, 'component', component.name, 'is not attached to this entity')
  }
  if (BUILTIN_COMPONENTS.includes(component as never)) {
    throw new SpikecsError(`entity ${eid}`, 'component', component.name, "is one of spikecs's own components, which cannot be removed")
  }
  if (component.kind === 'schema') {
    const cols = new Set(Object.keys(component.columns).map((k) => (record as Record<string, Column>)[k]))
    for (let k = world.columns.length - 1; k >= 0; k--) if (cols.has(world.columns[k])) world.columns.splice(k, 1)
  }
  bitecsRemoveComponent(world, eid, store)
  store.byEid[eid] = undefined
  const k = store.list.indexOf(record)
  store.list.splice(k, 1)
  store.eids.splice(k, 1)
  world.version++
}

/**
 * The entities that carry every component of `components`, as a live array (it follows later attaches and
 * detaches; copy it to keep a list). Build time and per-tick over a handful of entities only (see above).
 */
export function query(world: World, components: readonly Component[]): readonly number[] {
  if (!Array.isArray(components) || components.length === 0) {
    throw new SpikecsError('query', 'components', components, 'must be a non-empty array of components')
  }
  const stores: Store[] = []
  for (const c of components) {
    const store = storeIn(world, c, 'query')
    if (store === undefined) return NONE
    stores.push(store)
  }
  return bitecsQuery(world, stores) as readonly number[]
}

/**
 * Adds an entity carrying a record component; `make` builds its record from the new entity id. When `name`
 * is given it must be unique in the world (populations, projections, inputs, monitors… share one namespace).
 */
export function addRecord<T extends object>(world: World, component: Component<T, T>, name: string | null, make: (eid: number) => T): T {
  if (name !== null) {
    const kind = component.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() // SpikeBuffer → spike buffer
    checkName(kind, name)
    if (world.names.has(name)) {
      throw new SpikecsError(`${kind} '${name}'`, 'name', name, 'is already used by another entity of this world (names must be unique)')
    }
  }
  const eid = addEntity(world)
  const record = addComponent(world, eid, component, make(eid))
  if (name !== null) world.names.set(name, eid)
  return record
}
