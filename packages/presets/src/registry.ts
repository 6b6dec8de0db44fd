/**
 * The presets by name, for tools that pick one at run time (the CLI, a web page): each entry pairs the
 * static description (variants, connectivities, parameters with defaults and units) with its builder.
 */
import { SpikecsError, type World } from '@spikecs/ecs-core'
import { commSynapses } from '@spikecs/systems'
import { coba, cobaDef } from './coba.js'
import { cuba, cubaDef } from './cuba.js'
import { einet, einetDef } from './einet.js'
import { cobahh, cobahhDef } from './cobahh.js'
import { song2000, song2000Def } from './song2000.js'
import type { PresetDef } from './params.js'
import type { AnyPresetNetwork, CommonOptions } from './types.js'

export interface PresetEntry {
  readonly def: PresetDef
  readonly build: (options?: CommonOptions & Record<string, unknown>) => AnyPresetNetwork
}

/** Every preset; `coba` is the default. */
export const presets: Readonly<Record<string, PresetEntry>> = Object.freeze({
  coba: { def: cobaDef as PresetDef, build: coba as PresetEntry['build'] },
  einet: { def: einetDef as PresetDef, build: einet as PresetEntry['build'] },
  cuba: { def: cubaDef as PresetDef, build: cuba as PresetEntry['build'] },
  cobahh: { def: cobahhDef as PresetDef, build: cobahh as PresetEntry['build'] },
  song2000: { def: song2000Def as PresetDef, build: song2000 as PresetEntry['build'] },
})

/** The preset `spikecs run` builds when none is named. */
export const defaultPreset = 'coba'

/** Builds a preset by name; an unknown name is an error listing the known ones. */
export function buildPreset(name: string, options: CommonOptions & Record<string, unknown> = {}): AnyPresetNetwork {
  const entry = Object.hasOwn(presets, name) ? presets[name] : undefined
  if (entry === undefined) {
    throw new SpikecsError('buildPreset', 'preset', name, `must be one of ${Object.keys(presets).join(', ')}`)
  }
  return entry.build(options)
}

/**
 * Synapses of a world's projections: exact for stored (CSR) layers, expected (nPre·nPost·p) for
 * on-the-fly ones, whose synapses exist only while a spike is delivered (each layer's record counts them).
 */
export function synapseCount(world: World): { synapses: number; exact: boolean } {
  let synapses = 0
  let exact = true
  for (const proj of world.components.Projection.list) {
    const s = commSynapses(proj)
    synapses += s.n
    exact = exact && s.exact
  }
  return { synapses, exact }
}
