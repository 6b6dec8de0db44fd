/**
 * Fixed-number connectors (BrainPy `FixedPostNum`, `FixedPreNum`), stored as CSR rows:
 * - `FixedPostNum({ num })`: every presynaptic neuron connects to exactly `num` postsynaptic neurons;
 * - `FixedPreNum({ num })`:  every postsynaptic neuron receives from exactly `num` presynaptic neurons.
 * The `num` partners of a neuron are drawn uniformly without replacement (Floyd's algorithm) from the row's
 * counter-based stream, keyed by (world seed or `seed`, projection name, neuron index) — so a neuron's
 * partners depend on nothing else. With `includeSelf: false` (pre and post the same population) the neuron
 * itself is not a candidate, so the degree stays exactly `num`. With `allowMultiConn: true` the partners are
 * drawn with replacement (a pair may be connected several times; each copy is a synapse).
 * `num` is a whole number of partners (BrainPy's fractional form, `int(N·num)`, is written as that integer).
 */
import { SpikecsError, checkInteger, checkObject, counterU32, entityKey, rowKeys } from '@spikecs/ecs-core'

interface FixedNumFields {
  readonly num: number
  readonly includeSelf: boolean
  readonly allowMultiConn: boolean
  readonly seed: number | undefined
}
export type FixedNumConnector = (FixedNumFields & { readonly kind: 'FixedPostNum' }) | (FixedNumFields & { readonly kind: 'FixedPreNum' })

interface FixedNumOptions {
  /** Partners per neuron (targets per pre for FixedPostNum, sources per post for FixedPreNum). */
  num: number
  /** Allow the (i, i) pair when pre and post are the same population (default true). */
  includeSelf?: boolean
  /** Draw partners with replacement (default false). */
  allowMultiConn?: boolean
  /** Replaces the world seed for this projection's connectivity. */
  seed?: number
}

function fields(kind: string, p: FixedNumOptions): FixedNumFields {
  checkObject(kind, p, '{ num: 80 }')
  return { num: p.num, includeSelf: p.includeSelf ?? true, allowMultiConn: p.allowMultiConn ?? false, seed: p.seed }
}
/** Every presynaptic neuron gets exactly `num` targets (BrainPy `FixedPostNum`). */
export function FixedPostNum(p: FixedNumOptions): FixedNumConnector {
  return { kind: 'FixedPostNum', ...fields('FixedPostNum', p) }
}
/** Every postsynaptic neuron gets exactly `num` sources (BrainPy `FixedPreNum`). */
export function FixedPreNum(p: FixedNumOptions): FixedNumConnector {
  return { kind: 'FixedPreNum', ...fields('FixedPreNum', p) }
}

const U32 = 2.3283064365386963e-10

/**
 * Floyd's algorithm: `k` distinct integers from [0, n), uniformly, from draws 0, 1, … of the counter stream
 * (k0, k1); written ascending into `out` (`chosen` is scratch).
 */
export function sampleDistinct(k0: number, k1: number, n: number, k: number, chosen: Set<number>, out: number[]): void {
  chosen.clear()
  let draw = 0
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(counterU32(k0, k1, draw++) * U32 * (j + 1))
    chosen.add(chosen.has(t) ? j : t)
  }
  out.length = 0
  for (const t of chosen) out.push(t)
  out.sort((a, b) => a - b)
}

/** What the sampler needs to know about the projection. */
export interface FixedNumContext {
  readonly seed: number
  readonly name: string
  readonly nPre: number
  readonly nPost: number
  /** Post index of pre neuron i is i + selfOffset when pre and post are one population; −1 otherwise. */
  readonly selfOffset: number
}

/**
 * Validates the connector and draws its synapses: (pre, post) pairs ordered by row (pre for FixedPostNum, post
 * for FixedPreNum), partners ascending within a row. Throws naming `object` on a bad `num` or `includeSelf`.
 */
export function sampleFixedNum(ctx: FixedNumContext, object: string, conn: FixedNumConnector): { pre: Int32Array; post: Int32Array } {
  const byPre = conn.kind === 'FixedPostNum'
  const nRows = byPre ? ctx.nPre : ctx.nPost
  const nCols = byPre ? ctx.nPost : ctx.nPre
  if (typeof conn.includeSelf !== 'boolean') throw new SpikecsError(object, 'includeSelf', conn.includeSelf, 'must be a boolean')
  if (typeof conn.allowMultiConn !== 'boolean') throw new SpikecsError(object, 'allowMultiConn', conn.allowMultiConn, 'must be a boolean')
  if (!conn.includeSelf && ctx.selfOffset < 0) {
    throw new SpikecsError(object, 'includeSelf', false, 'needs pre and post to be the same population')
  }
  if (conn.seed !== undefined) checkInteger(object, 'seed', conn.seed, 0, 0xffffffff)
  const excludes = !conn.includeSelf
  // The candidates of a row: all columns, or all but the row's own neuron when it is one of them.
  const maxCandidates = excludes && nRows > 0 ? nCols - 1 : nCols
  const num = checkInteger(object, 'num', conn.num, 0, conn.allowMultiConn ? 2 ** 31 - 1 : maxCandidates)
  if (nRows * num > 2 ** 31 - 1) throw new SpikecsError(object, 'num', num, 'gives more synapses than CSR holds (2^31 - 1)')
  const key = entityKey(conn.seed ?? ctx.seed, `conn:${ctx.name}`)
  const pre = new Int32Array(nRows * num),
    post = new Int32Array(nRows * num)
  const keys = new Uint32Array(2)
  const chosen = new Set<number>()
  const row: number[] = []
  let m = 0
  for (let r = 0; r < nRows; r++) {
    // The row's own neuron as a column index (−1 when it is not a candidate to skip).
    const selfCol = !excludes ? -1 : byPre ? r + ctx.selfOffset : r - ctx.selfOffset
    const skip = selfCol >= 0 && selfCol < nCols ? selfCol : -1
    const nCand = skip >= 0 ? nCols - 1 : nCols
    if (num > 0 && nCand === 0) throw new SpikecsError(object, 'num', num, `cannot be met: row ${r} has no candidate`)
    rowKeys(key, r, keys)
    if (conn.allowMultiConn) {
      row.length = 0
      for (let d = 0; d < num; d++) row.push(Math.floor(counterU32(keys[0], keys[1], d) * U32 * nCand))
      row.sort((a, b) => a - b)
    } else {
      sampleDistinct(keys[0], keys[1], nCand, num, chosen, row)
    }
    for (const t of row) {
      const col = skip >= 0 && t >= skip ? t + 1 : t // candidates index the columns with the row's own one removed
      pre[m] = byPre ? r : col
      post[m] = byPre ? col : r
      m++
    }
  }
  return { pre, post }
}
