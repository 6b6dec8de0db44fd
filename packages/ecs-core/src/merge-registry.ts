/**
 * The merge registry of `Mg` projections: projections onto the same post population whose synapse
 * description, output description and output label are structurally equal share one synapse state and one
 * output. Keys are structural (kind names plus numerically compared parameters, in sorted order), so
 * `tau: 5` and `tau: 5.0` merge and parameter order does not matter. The lookup happens when a projection is
 * added; per tick the systems walk dense arrays of states and never see a key.
 */

/** A model description: a kind name and its numeric parameters. */
export interface Description {
  readonly kind: string
  readonly params: Readonly<Record<string, number>>
}

export interface MergeRegistry {
  /** Structural key → synapse-state entity. */
  readonly states: Map<string, number>
}

export function createMergeRegistry(): MergeRegistry {
  return { states: new Map() }
}

function describe(d: Description): string {
  const keys = Object.keys(d.params).sort()
  // Numbers render through String(): 5 and 5.0 are the same number and give the same text.
  return `${d.kind}(${keys.map((k) => `${k}=${String(d.params[k])}`).join(', ')})`
}

/** The structural merge key of (post population, output label, synapse description, output description). */
export function mergeKey(post: number, label: string | null, syn: Description, out: Description): string {
  return `post#${post} // ${label === null ? '' : `label:${label}`} // ${describe(syn)} // ${describe(out)}`
}

/** The state registered under `key`, or 0 when there is none. */
export function lookupMerged(reg: MergeRegistry, key: string): number {
  return reg.states.get(key) ?? 0
}

export function registerMerged(reg: MergeRegistry, key: string, stateEid: number): void {
  reg.states.set(key, stateEid)
}
