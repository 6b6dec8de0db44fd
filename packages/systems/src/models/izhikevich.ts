/**
 * The Izhikevich family (BrainPy `Izhikevich`, `IzhikevichRef`, `IzhikevichLTC`, `IzhikevichRefLTC`;
 * Izhikevich 2003), with BrainPy's parameters and defaults; integration and spikes in `nonlinear-if.ts`:
 *
 *   dV/dt = 0.04·V² + 5·V + 140 − u + I,   du/dt = a·(b·V − u);   if V ≥ V_th: V = c, u += d
 *
 * Units: V in mV, t in ms, u and I in mV/ms (conductances of outputs in 1/ms). Initial V −70 mV and
 * u = b·V per neuron unless `u0` is given (BrainPy's defaults); with the defaults (regular spiking) the neuron
 * rests at V = −70, u = −14, where 0.04V² + (5 − b)V + 140 = 0. BrainPy also lists `tau` and `R`, which its
 * equation does not use; they are left out here.
 */
import { SpikecsError } from '@spikecs/ecs-core'
import { param } from './params.js'
import type { Initializer } from '../init.js'
import { describe, ifFamily } from './nonlinear-if.js'
import { derived } from './record.js'

export const izhikevichModels = ifFamily({
  name: 'Izhikevich',
  equation: 'dV/dt = 0.04 V^2 + 5 V + 140 - u + I, du/dt = a (b V - u); spike: V = c, u += d',
  params: [
    param('vTh', 30, 'mV', 'finite', 'spike cut-off (spike when V >= vTh)'),
    param('a', 0.02, '1/ms', 'positive', 'rate of the recovery variable u'),
    param('b', 0.2, '1', 'finite', 'sensitivity of u to V'),
    param('c', -65, 'mV', 'finite', 'reset potential after a spike'),
    param('d', 8, 'mV/ms', 'finite', 'increment of u at each spike'),
  ],
  derived: [derived('kW', (p, dt) => Math.exp(-p.a * dt), 'e^(−a·dt)')],
  state: [
    { name: 'V', type: 'state', initParam: 'v0', initDefault: () => -70, unit: 'mV', doc: 'membrane potential' },
    { name: 'u', type: 'state', initParam: 'u0', initDefault: () => 0, unit: 'mV/ms', doc: 'recovery variable' },
  ],
  // u is linear in itself: exact for V held, u ← u∞ + (u − u∞)·e^(−a·dt), u∞ = b·V.
  always: `
    let uInf = b * V
    u = uInf + (u - uInf) * kW`,
  f: '0.04 * V * V + 5 * V + 140 - u + (Is + Ia + Ic + GE - G * V)',
  A: (ltc) => (ltc ? '0.04 * (2 * V) + 5 - G' : '0.04 * (2 * V) + 5'),
  reset: 'V = c; u = u + d',
  check(object, p) {
    if (!(p.c < p.vTh)) throw new SpikecsError(object, 'c', p.c, `must be below vTh (${p.vTh})`)
  },
  // u starts at b·V of each neuron unless the user gives u0.
  setup(_object, given) {
    if (given.u0 !== undefined) return () => {}
    return (pop) => {
      const b = pop.params[pop.paramIndex.b]
      const V = pop.state.V.array,
        u = pop.state.u.array
      for (let i = 0; i < pop.size; i++) u[i] = b * V[i]
    }
  },
})

/** Parameters of the `Izhikevich` models (every field optional; BrainPy's defaults: regular spiking). */
export interface IzhikevichParams {
  /** Number of neurons. */
  size: number
  /** Spike cut-off (mV), default 30. */
  vTh?: number
  /** Rate of u (1/ms), default 0.02. */
  a?: number
  /** Sensitivity of u to V, default 0.2. */
  b?: number
  /** Reset potential (mV), default −65. */
  c?: number
  /** Increment of u at a spike, default 8. */
  d?: number
  /** Initial V (mV), default −70. */
  v0?: Initializer
  /** Initial u, default b·V0 per neuron. */
  u0?: Initializer
}
/** Parameters of `IzhikevichRef` / `IzhikevichRefLTC`. */
export interface IzhikevichRefParams extends IzhikevichParams {
  /** Refractory period (ms), default 0. */
  tauRef?: number
}

/** Izhikevich neurons (BrainPy `Izhikevich`). */
export const Izhikevich = describe<IzhikevichParams>('Izhikevich')
/** `Izhikevich` with refractoriness (BrainPy `IzhikevichRef`). */
export const IzhikevichRef = describe<IzhikevichRefParams>('IzhikevichRef')
/** `Izhikevich` with conductances inside the exponential step (BrainPy `IzhikevichLTC`). */
export const IzhikevichLTC = describe<IzhikevichParams>('IzhikevichLTC')
/** `IzhikevichLTC` with refractoriness (BrainPy `IzhikevichRefLTC`). */
export const IzhikevichRefLTC = describe<IzhikevichRefParams>('IzhikevichRefLTC')
