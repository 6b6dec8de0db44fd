// Presets: ready-made E/I networks. Browser-safe: nothing here imports Node modules.
export { coba, cobaDef, type CobaParams, type CobaOptions, type CobaNetwork, type CobaVariant } from './coba.js'
export {
  einet,
  einetDef,
  type EinetParams,
  type EinetOptions,
  type EinetNetwork,
  type EinetHalfNetwork,
  type EinetFullNetwork,
  type EinetVariant,
} from './einet.js'
export { cuba, cubaDef, type CubaParams, type CubaOptions, type CubaNetwork, type CubaVariant } from './cuba.js'
export { cobahh, cobahhDef, type CobahhParams, type CobahhOptions, type CobahhNetwork, type CobahhVariant } from './cobahh.js'
export {
  song2000,
  song2000Def,
  type Song2000Params,
  type Song2000Options,
  type Song2000Network,
  type Song2000Variant,
} from './song2000.js'
export { presets, defaultPreset, buildPreset, synapseCount, type PresetEntry } from './registry.js'
export { resolvePreset, COMMON_OPTION_KEYS, type PresetDef, type Resolved } from './params.js'
export type {
  AnyPresetNetwork,
  CommonOptions,
  Connectivity,
  Group,
  ParamKind,
  PresetNetwork,
  PresetParamSpec,
  ResolvedOptions,
} from './types.js'

// Statistics and plots
export {
  spikeCounts,
  groupSpikeCount,
  groupRateHz,
  meanCvIsi,
  binnedRateHz,
  summarizeSpikes,
  createSpikeStats,
  accumulateSpike,
  accumulateSpikeTrains,
  summarizeSpikeStats,
  weightStats,
  type WeightStats,
  type SpikeTrains,
  type SpikeSummary,
  type SpikeStats,
} from './stats.js'
export { rasterSvg, niceTicks, type RasterOptions } from './raster-svg.js'
export { weightsSvg, type WeightPlotOptions } from './weights-svg.js'

// Export to PyNN (NEST, SpiNNaker, Brian2, NEURON)
export {
  exportPyNN,
  pyFloat,
  pyStr,
  pyText,
  shortFloat32,
  PYNN_SIMULATORS,
  type PyNNExport,
  type PyNNExportOptions,
  type PyNNGroup,
  type PyNNSimulator,
} from './pynn/index.js'
export { npzBytes, npyBytes, type NpyArray } from './npz.js'
