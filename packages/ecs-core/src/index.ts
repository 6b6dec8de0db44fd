export * from './errors.js'
export * from './validate.js'
export * from './time.js'
export * from './rng.js'
export * from './crc32.js'
export * from './storage.js'
export * from './scratch.js'
export {
  defineComponent,
  defineRecordComponent,
  type Component,
  type Store,
  type FieldValue,
  type FieldDefaults,
  type ColumnSpec,
  type FieldOf,
  type ArrayOf,
  type SchemaRecord,
  type SchemaInit,
} from './component-def.js'
export * from './components.js'
export {
  registerComponent,
  addEntity,
  addComponent,
  getComponent,
  hasComponent,
  removeComponent,
  query,
  addRecord,
} from './component.js'
export * from './delay-queue.js'
export * from './merge-registry.js'
export * from './world.js'
export * from './snapshot/index.js'
