// typedarray-pool keeps its free lists on `global.__TYPEDARRAY_POOL`; browsers have no `global`.
// This module runs before the pool is first evaluated and makes `global` resolve to `globalThis` there.
const g = globalThis as unknown as { global?: unknown }
if (typeof g.global === 'undefined') g.global = globalThis
export {}
