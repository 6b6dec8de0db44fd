// The component API: defining a component (fields with defaults, per-element columns), attaching it with
// initial values, reading, querying and removing it; spikecs's own components through the same functions;
// user components in snapshots (columns byte for byte, fields by value) and the refusals of a restore into a
// world without them or with another layout; snapshot sections registered by packages.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  addComponent,
  addEntity,
  addSnapshotSection,
  createWorld,
  defineComponent,
  defineRecordComponent,
  describeStructure,
  getComponent,
  hasComponent,
  query,
  registerComponent,
  removeComponent,
  restore,
  snapshot,
  Population,
  Projection,
  SnapshotError,
  type SnapshotSection,
  type World,
} from '@spikecs/ecs-core'
import {
  addInput,
  addPopulation,
  addProjection,
  step,
  synapticEvents,
  FullProjAlignPost,
  LifRef,
  All2All,
  Expon,
  CUBA,
} from '@spikecs/systems'
import { assertRefused } from '../support/refusal.js'

const Homeo = defineComponent('Homeo', {
  fields: { eta: 0.5, on: true, label: 'h', history: [1, 2] },
  columns: { target: 'f64', count: 'i32', g: 'state' },
})

function twoPops(dtype: 'float32' | 'float64' = 'float64') {
  const world = createWorld({ dtype, seed: 9 })
  const E = addPopulation(world, 'E', LifRef({ size: 5 }))
  const I = addPopulation(world, 'I', LifRef({ size: 3 }))
  return { world, E, I }
}

test('defineComponent keeps fields and columns in declaration order and refuses what a snapshot cannot hold', () => {
  assert.equal(Object.keys(Homeo.fields), ['eta', 'on', 'label', 'history'])
  assert.equal(Homeo.columns, { target: 'f64', count: 'i32', g: 'state' })
  assert.is(Homeo.kind, 'schema')
  assert.ok(Object.isFrozen(Homeo) && Object.isFrozen(Homeo.fields.history))
  assertRefused(
    () => defineComponent('X', { fields: { f: { a: 1 } as never } }),
    'component \'X\': fields.f must be a number, a boolean, a string or an array of numbers (what a snapshot can hold) (got {"a":1})',
  )
  assertRefused(
    () => defineComponent('X', { fields: { f: [1, 'a'] as never } }),
    "component 'X': fields.f must be a number, a boolean, a string or an array of numbers (what a " +
      'snapshot can hold) (got array of length 2)',
  )
  assertRefused(
    () => defineComponent('X', { fields: { f: null as never } }),
    "component 'X': fields.f must be a number, a boolean, a string or an array of numbers (what a snapshot can hold) (got null)",
  )
  assertRefused(
    () => defineComponent('X', { fields: { f: Math.max as never } }),
    "component 'X': fields.f must be a number, a boolean, a string or an array of numbers (what a snapshot can hold) (got function max)",
  )
  assertRefused(
    () => defineComponent('X', { columns: { c: 'f16' as never } }),
    `component 'X': columns.c must be a column type ('state', 'f32', 'f64', 'i32', 'u32', 'u8') (got "f16")`,
  )
  assertRefused(
    () => defineComponent('X', { fields: { c: 1 }, columns: { c: 'f64' } }),
    `component 'X': columns.c is also the name of a field (got "f64")`,
  )
  assertRefused(
    () => defineComponent('X', { fields: { length: 1 } }),
    "component 'X': fields.length uses a reserved name (eid, length) (got 1)",
  )
  assertRefused(
    () => defineComponent('X', { field: {} } as never),
    "component 'X': field is not part of a component definition (known: fields, columns) (got {})",
  )
  assertRefused(() => defineComponent(' X'), 'component: name must be a non-empty string without surrounding spaces (got " X")')
})

test('addComponent on a population: one element per neuron, defaults, initial values, columns in the column table', () => {
  const { world, E } = twoPops('float32')
  const before = world.version
  const h = addComponent(world, E.eid, Homeo, { eta: 0.25, history: [3], target: [1, 2, 3, 4, 5], count: 7 })
  assert.ok(world.version > before, 'structure version bumped')
  assert.is(h.eid, E.eid)
  assert.is(h.length, 5)
  assert.is(h.eta, 0.25)
  assert.is(h.on, true)
  assert.is(h.label, 'h')
  assert.equal(h.history, [3])
  assert.equal(Array.from(h.target.array), [1, 2, 3, 4, 5])
  assert.equal(Array.from(h.count.array), [7, 7, 7, 7, 7])
  assert.instance(h.g.array, Float32Array) // 'state': the world's dtype
  assert.instance(h.count.array, Int32Array)
  assert.ok(world.columns.includes(h.target) && h.target.owner === E.eid && h.target.name === 'Homeo.target')
  assert.is(world.components.Homeo?.list[0], h)
  assert.is(getComponent(world, E.eid, Homeo), h)
  assert.ok(hasComponent(world, E.eid, Homeo) && hasComponent(world, E.eid, Population))
  // Defaults are copied per record: changing one record's array does not change another's.
  const other = addComponent(world, addEntity(world), Homeo, { length: 2 })
  other.history.push(9)
  assert.equal(Homeo.fields.history, [1, 2])
  assert.is(other.length, 2)
})

test('addComponent refuses a missing entity, a second attach, unknown keys, wrong kinds and lengths', () => {
  const { world, E } = twoPops()
  addComponent(world, E.eid, Homeo)
  assertRefused(
    () => addComponent(world, 999, Homeo),
    "component 'Homeo': eid must be an entity of this world (from addEntity, or the eid of a record such as a population) (got 999)",
  )
  assertRefused(
    () => addComponent(world, E.eid, Homeo),
    'entity 1: component is attached already (an entity carries a component once) (got "Homeo")',
  )
  const eid = addEntity(world)
  assertRefused(
    () => addComponent(world, eid, Homeo),
    `component 'Homeo' of entity ${eid}: length must be given: the entity is not a population, whose ` +
      `size would be the default (got undefined)`,
  )
  assertRefused(
    () => addComponent(world, eid, Homeo, { length: 2, rate: 1 } as never),
    `component 'Homeo' of entity ${eid}: rate is not a field or column of the component (known: ` +
      `length, eta, on, label, history, target, count, g) (got 1)`,
  )
  assertRefused(
    () => addComponent(world, eid, Homeo, { length: 2, eta: '1' as never }),
    `component 'Homeo' of entity ${eid}: eta must be a number like its default (fields hold numbers, ` +
      `booleans, strings or arrays of numbers) (got "1")`,
  )
  assertRefused(
    () => addComponent(world, eid, Homeo, { length: 2, history: [NaN, 'x'] as never }),
    `component 'Homeo' of entity ${eid}: history must be an array of numbers like its default ` +
      `(fields hold numbers, booleans, strings or arrays of numbers) (got array of length 2)`,
  )
  assertRefused(
    () => addComponent(world, eid, Homeo, { length: 2, target: [1] }),
    `component 'Homeo' of entity ${eid}: target must have 2 values (one per element) (got array of length 1)`,
  )
  assertRefused(
    () => addComponent(world, eid, Homeo, { length: 2, count: 1.5 }),
    `component 'Homeo' of entity ${eid}: count must be an integer (got 1.5)`,
  )
  assertRefused(
    () => addComponent(world, eid, Homeo, { length: 2, target: [0, Infinity] }),
    `component 'Homeo' of entity ${eid}: target[1] must be a finite number (got Infinity)`,
  )
  assertRefused(
    () => addComponent(world, eid, Homeo, { length: 2, target: null as never }),
    `component 'Homeo' of entity ${eid}: target must be a number or an array of 2 numbers (got null)`,
  )
  assertRefused(
    () => addComponent(world, eid, Homeo, null as never),
    `component 'Homeo' of entity ${eid}: init must be an object of initial values ({ length?, fields…, columns… }) (got null)`,
  )
  assertRefused(() => addComponent(world, eid, Homeo, { length: -1 }), `component 'Homeo' of entity ${eid}: length must be >= 0 (got -1)`)
  assert.not.ok(hasComponent(world, eid, Homeo), 'a refused attach attaches nothing')
  const fresh = createWorld()
  const columns = fresh.columns.length
  assertRefused(() => addComponent(fresh, addEntity(fresh), Homeo, { length: 2, g: [1, NaN] }), /g\[1\] must be a finite number/)
  assert.is(fresh.columns.length, columns, 'no column left behind')
  assert.is(fresh.components.Homeo, undefined, 'nor a registration')
})

test("query: entities with every listed component, spikecs's own included; live; unknown components give none", () => {
  const { world, E, I } = twoPops()
  assert.equal([...query(world, [Population])], [E.eid, I.eid])
  assert.equal([...query(world, [Population, Homeo])], [], 'not registered in this world yet')
  const live = query(world, [Population, Homeo])
  const Tag = defineRecordComponent<{ note: string }>('Tag')
  addComponent(world, I.eid, Homeo, { eta: 2 })
  addComponent(world, I.eid, Tag, { note: 'inhibitory' })
  const lone = addEntity(world)
  addComponent(world, lone, Homeo, { length: 4 })
  assert.equal([...query(world, [Population, Homeo])], [I.eid])
  assert.equal([...query(world, [Homeo])], [I.eid, lone])
  assert.equal(getComponent(world, I.eid, Tag), { note: 'inhibitory' })
  const q = query(world, [Homeo])
  addComponent(world, E.eid, Homeo)
  assert.equal([...q], [I.eid, lone, E.eid], 'the array follows later attaches')
  assert.equal([...live], [], 'the empty result of an unregistered component is not live')
  assert.equal([...query(world, [Population, Projection])], [])
  // Another definition under a registered name is an error, not a silent miss.
  const Impostor = defineComponent('Homeo', { fields: { eta: 1 } })
  assertRefused(
    () => query(world, [Impostor]),
    'query: component is another definition than the component registered under this name in this ' +
      'world (define each component once) (got "Homeo")',
  )
  assertRefused(
    () => addComponent(world, E.eid, Impostor),
    'addComponent: component is another definition than the component registered under this name in ' +
      'this world (define each component once) (got "Homeo")',
  )
  assertRefused(() => query(world, []), 'query: components must be a non-empty array of components (got array of length 0)')
})

test("removeComponent detaches, takes its columns out of the column table; spikecs's own stay", () => {
  const { world, E, I } = twoPops()
  const h = addComponent(world, E.eid, Homeo)
  addComponent(world, I.eid, Homeo)
  const n = world.columns.length
  removeComponent(world, E.eid, Homeo)
  assert.is(world.columns.length, n - 3)
  assert.not.ok(world.columns.includes(h.target))
  assert.equal([...query(world, [Homeo])], [I.eid])
  assert.is(getComponent(world, E.eid, Homeo), undefined)
  assertRefused(() => removeComponent(world, E.eid, Homeo), 'entity 1: component is not attached to this entity (got "Homeo")')
  assertRefused(
    () => removeComponent(world, E.eid, Population),
    'entity 1: component is one of spikecs\'s own components, which cannot be removed (got "Population")',
  )
  addComponent(world, E.eid, Homeo, { eta: 3 })
  assert.is(getComponent(world, E.eid, Homeo)?.eta, 3)
})

/** A network whose schema component is attached to both populations and to a plain entity. */
function withComponents(dtype: 'float32' | 'float64' = 'float64') {
  const n = twoPops(dtype)
  const hE = addComponent(n.world, n.E.eid, Homeo, { target: 5 })
  const hI = addComponent(n.world, n.I.eid, Homeo, { on: false })
  const extra = addEntity(n.world)
  const hX = addComponent(n.world, extra, Homeo, { length: 3, label: 'plain entity' })
  addInput(n.world, n.E, 15)
  return { ...n, hE, hI, hX }
}

test('user components in snapshots: columns byte for byte, fields by value, into a fresh world', () => {
  const a = withComponents()
  for (let k = 0; k < 30; k++) step(a.world)
  a.hE.eta = -0.125
  a.hE.label = 'édité \u2028'
  a.hE.history.push(NaN, -0, 1e300)
  a.hI.on = true
  a.hI.history.length = 0
  a.hX.target.array.set([0.1, 0.2, 0.3])
  a.hX.count.array[2] = -5
  a.hE.g.array[4] = 2.5
  const blob = snapshot(a.world)
  const b = withComponents()
  restore(b.world, blob)
  for (const [x, y] of [
    [a.hE, b.hE],
    [a.hI, b.hI],
    [a.hX, b.hX],
  ] as const) {
    assert.equal({ eta: y.eta, on: y.on, label: y.label, history: y.history }, { eta: x.eta, on: x.on, label: x.label, history: x.history })
    for (const c of ['target', 'count', 'g'] as const) assert.equal(Array.from(y[c].array), Array.from(x[c].array), c)
  }
  assert.ok(Object.is(b.hE.history[3], -0) && Number.isNaN(b.hE.history[2]))
  assert.is.not(b.hE.history, a.hE.history, "the restored array is the world's own")
  // Continuing gives the same state and the same next snapshot.
  step(a.world)
  step(b.world)
  assert.equal(new Uint8Array(snapshot(b.world)), new Uint8Array(snapshot(a.world)))
})

test('a restore into a world without the component, or with another layout or other entities, names the component', () => {
  const blob = snapshot(withComponents().world)
  const refused = (world: World, re: RegExp) => {
    const e = assertRefused(() => restore(world, blob), re) as SnapshotError
    assert.instance(e, SnapshotError)
    assert.is(e.reason, 'component')
  }
  refused(
    twoPops().world,
    new RegExp(
      `^restore: component must be registered in this world: the snapshot holds component ` +
        String.raw`'Homeo' \(component "Homeo" schema ` +
        `fields=eta:number,on:boolean,label:string,history:numbers ` +
        String.raw`columns=target:f64,count:i32,g:state entities=1:5,2:3,3:3\) and this world has no ` +
        String.raw`component of that name \(define it and attach it as in the world the snapshot was taken ` +
        String.raw`from\) \(got "Homeo"\)$`,
    ),
  )
  const changed = twoPops()
  const Homeo2 = defineComponent('Homeo', {
    fields: { eta: 0.5, on: true, label: 'h', history: [1, 2] },
    columns: { target: 'f32', count: 'i32', g: 'state' },
  })
  addComponent(changed.world, changed.E.eid, Homeo2)
  addComponent(changed.world, changed.I.eid, Homeo2)
  addComponent(changed.world, addEntity(changed.world), Homeo2, { length: 3 })
  addInput(changed.world, changed.E, 15)
  refused(
    changed.world,
    new RegExp(
      `^restore: component must have the layout and entities it had when the snapshot was taken: ` +
        `this world has component "Homeo" schema ` +
        `fields=eta:number,on:boolean,label:string,history:numbers ` +
        `columns=target:f32,count:i32,g:state entities=1:5,2:3,3:3; the snapshot has component ` +
        `"Homeo" schema .*columns=target:f64,`,
    ),
  )
  const elsewhere = twoPops()
  addComponent(elsewhere.world, elsewhere.E.eid, Homeo)
  refused(
    elsewhere.world,
    new RegExp(
      `^restore: component must have the layout and entities it had .* entities=1:5; the ` +
        String.raw`snapshot has .* entities=1:5,2:3,3:3 \(got "Homeo"\)$`,
    ),
  )
  const more = withComponents()
  addComponent(more.world, more.E.eid, defineRecordComponent<object>('Extra'), {})
  refused(
    more.world,
    new RegExp(
      String.raw`^restore: component is registered in this world \(component "Extra" record entities=1\) ` +
        String.raw`but the snapshot holds no component of that name \(got "Extra"\)$`,
    ),
  )
})

test('snapshot refuses a field that no longer holds what its default held', () => {
  const a = withComponents()
  ;(a.hI as { label: unknown }).label = { not: 'text' }
  assertRefused(
    () => snapshot(a.world),
    `component 'Homeo' of entity 2: label must hold a string like its default to be saved in a snapshot (got {"not":"text"})`,
  )
})

test('snapshot sections: registered once, named in the structure, read back after the core sections', () => {
  interface Counter {
    n: number
  }
  const counters = new WeakMap<World, Counter>()
  const section: SnapshotSection<number> = {
    name: 'test.counter',
    write: (world, w) => w.f64(counters.get(world)!.n),
    read: (_, r) => r.f64(),
    commit: (world, n) => {
      counters.get(world)!.n = n
    },
  }
  const make = () => {
    const world = createWorld()
    counters.set(world, { n: 0 })
    addSnapshotSection(world, section)
    addSnapshotSection(world, section)
    return world
  }
  const a = make()
  assert.is(a.sections.length, 1)
  assert.match(
    describeStructure(a),
    /\nsections clock,columns,populations,queues,spike-buffers,inputs,monitors,checkers,components,streams,test\.counter$/,
  )
  counters.get(a)!.n = 42
  const b = make()
  restore(b, snapshot(a))
  assert.is(counters.get(b)!.n, 42)
  assertRefused(
    () => restore(createWorld(), snapshot(a)),
    new RegExp(
      `^restore: structure hash must be .*different network; line 2: this world has sections ` +
        String.raw`clock,.*,streams; the snapshot has sections clock,.*,streams,test\.counter \(got ` +
        String.raw`"0x[0-9a-f]{16}"\)$`,
    ),
  )
  assertRefused(
    () => addSnapshotSection(a, { ...section }),
    `snapshot section 'test.counter': name is already used by another section of this world (got "test.counter")`,
  )
  assertRefused(
    () => addSnapshotSection(a, { ...section, name: 'streams' }),
    `snapshot section 'streams': name is already used by another section of this world (got "streams")`,
  )
})

test('the synaptic-event counter is a section of the systems, restored into a world that has no plan yet', () => {
  const make = () => {
    const world = createWorld({ seed: 4 })
    const E = addPopulation(world, 'E', LifRef({ size: 20 }))
    addProjection(world, 'EE', FullProjAlignPost({ pre: E, post: E, comm: All2All({ weight: 0.5 }), syn: Expon(), out: CUBA() }))
    addInput(world, E, 30)
    return world
  }
  assert.match(describeStructure(make()), /,streams,systems\.events$/)
  assert.is(createWorld().sections.length, 0, 'no projection, no counter')
  const a = make()
  for (let k = 0; k < 200; k++) step(a)
  assert.ok(synapticEvents(a) > 100)
  const b = make()
  assert.is(b.plan, null)
  restore(b, snapshot(a))
  assert.is(synapticEvents(b), synapticEvents(a))
  for (let k = 0; k < 50; k++) {
    step(a)
    step(b)
  }
  assert.is(synapticEvents(b), synapticEvents(a))
})

test('registerComponent alone puts a component into the structure with no entities', () => {
  const world = createWorld()
  const s = registerComponent(world, Homeo)
  assert.is(registerComponent(world, Homeo), s)
  assert.is(world.components.Homeo, s)
  assert.match(
    describeStructure(world),
    /\ncomponent "Homeo" schema fields=eta:number,on:boolean,label:string,history:numbers columns=target:f64,count:i32,g:state entities=\n/,
  )
})

test.run()
