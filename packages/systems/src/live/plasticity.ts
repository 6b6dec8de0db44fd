/**
 * Reading and setting the state of a plastic projection (`STDP_Song2000`) between ticks: its weights, one per
 * synapse in storage order (rows by presynaptic index, each row's targets in the layer's order), its
 * synapses' pre and post indices, and its two traces. Weights and traces are columns of the world, so
 * snapshots hold them and `restore` brings them back exactly.
 */
import { SpikecsError, checkFinite, getComponent, type FloatArray, type ProjectionData, type World } from '@spikecs/ecs-core'
import type { CsrData } from '../comm/csr.js'
import { Plasticity, type StdpData } from '../plasticity/stdp.js'
import { checkProjection } from './weights.js'

function plasticOf(world: World, object: string, proj: unknown): { p: ProjectionData; d: StdpData; c: CsrData } {
  const p = checkProjection(world, object, proj)
  const d = getComponent(world, p.eid, Plasticity)
  if (d === undefined) {
    throw new SpikecsError(object, 'proj', p.name, `is a ${p.kind} projection: its weights do not learn (build it with STDP_Song2000)`)
  }
  return { p, d, c: p.comm as CsrData }
}

/**
 * The weights of a plastic projection as a **live view** (no copy) of its weight column: it changes as the
 * world runs and writing into it changes the network (prefer `setWeights`, which validates). Take a new view
 * after adding anything to the world: a WebAssembly world's memory may grow and detach older views.
 */
export function weightsOf(world: World, proj: ProjectionData): FloatArray {
  const { c } = plasticOf(world, 'weightsOf', proj)
  return (c.weights as NonNullable<CsrData['weights']>).array.subarray(0, c.nSynapses) as FloatArray
}

/**
 * Sets every weight of a plastic projection (one number for all, or one per synapse in the order of
 * `weightsOf`), rounded to the dtype; each must be finite and within the rule's bounds [wMin, wMax]. Applies
 * from the next tick; the traces are left as they are.
 */
export function setWeights(world: World, proj: ProjectionData, w: number | ArrayLike<number>): void {
  const { p, d, c } = plasticOf(world, 'setWeights', proj)
  const object = `projection '${p.name}'`
  const n = c.nSynapses
  const one = typeof w === 'number'
  if (!one && (w === null || typeof w !== 'object' || typeof (w as ArrayLike<number>).length !== 'number')) {
    throw new SpikecsError(object, 'weights', w, 'must be a number or an array of numbers (one per synapse)')
  }
  if (!one && (w as ArrayLike<number>).length !== n) {
    throw new SpikecsError(object, 'weights', w, `must have ${n} elements (one per synapse)`)
  }
  const lo = d.params.wMin,
    hi = d.params.wMax
  for (let k = 0; k < (one ? 1 : n); k++) {
    const name = one ? 'weights' : `weights[${k}]`
    const v = checkFinite(object, name, one ? w : (w as ArrayLike<number>)[k])
    if (v < lo || v > hi) throw new SpikecsError(object, name, v, `must lie within the rule's bounds [${lo}, ${hi}]`)
  }
  const W = (c.weights as NonNullable<CsrData['weights']>).array
  if (one) W.fill(w as number, 0, n)
  else W.set(w as ArrayLike<number>)
}

/** Pre and post index of every synapse of a plastic projection, in the order of `weightsOf` (copies). */
export function plasticSynapses(world: World, proj: ProjectionData): { pre: Int32Array; post: Int32Array } {
  const { c } = plasticOf(world, 'plasticSynapses', proj)
  const ptr = c.indptr.array
  const pre = new Int32Array(c.nSynapses)
  for (let i = 0; i < c.nPre; i++) pre.fill(i, ptr[i], ptr[i + 1])
  return { pre, post: c.indices.array.slice(0, c.nSynapses) }
}

/**
 * The traces of a plastic projection as live views: `Apre` (one per presynaptic neuron) holds Apre_k after
 * tick k; `Apost` (one per post neuron) holds Apost_{k−1} — it takes the post spikes of a tick at the start of
 * the next tick's slot 2, just before the rule reads it (docs/semantics.md, "Plasticity").
 */
export function tracesOf(world: World, proj: ProjectionData): { Apre: FloatArray; Apost: FloatArray } {
  const { d } = plasticOf(world, 'tracesOf', proj)
  return { Apre: d.Apre.array, Apost: d.Apost.array }
}
