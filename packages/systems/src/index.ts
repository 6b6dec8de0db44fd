// The ECS (from @spikecs/ecs-core), so that one import builds, extends, runs, saves and disposes of a world: the world,
// the component API and spikecs's own components, snapshots and their sections, random streams
export {
  createWorld,
  disposeWorld,
  defineComponent,
  defineRecordComponent,
  registerComponent,
  addEntity,
  addComponent,
  getComponent,
  hasComponent,
  removeComponent,
  query,
  Population,
  Projection,
  DelayQueue,
  SynapseState,
  Output,
  Input,
  SpikeBuffer,
  Monitor,
  Checker,
  snapshot,
  restore,
  addSnapshotSection,
  SnapshotError,
  SpikecsError,
  streamFor,
  timeMs,
  type World,
  type WorldOptions,
  type System,
  type Component,
  type Store,
  type SchemaRecord,
  type SchemaInit,
  type FieldValue,
  type Column,
  type ColumnType,
  type SnapshotSection,
  type SnapshotReader,
  type SnapshotWriter,
  type PopulationData,
  type ProjectionData,
  type InputData,
  type MonitorData,
} from '@spikecs/ecs-core'

// Systems, in tick order
export { DelaySystem } from './systems/DelaySystem.js'
export { CommSystem } from './systems/CommSystem.js'
export { AlignPostSystem } from './systems/AlignPostSystem.js'
export { OutputSystem } from './systems/OutputSystem.js'
export { NeuronSystem } from './systems/NeuronSystem.js'
export { MonitorSystem } from './systems/MonitorSystem.js'
export { CheckerSystem } from './systems/CheckerSystem.js'
export { ClockSystem } from './systems/ClockSystem.js'
export { defaultPipeline, step, run, setPipeline, insertSystem, type RunOptions } from './run.js'
export { synapticEvents } from './events.js'
export { planOf, isFused, describePlan, type Plan, type PopulationPlan } from './plan.js'
export { prepareWasm, wasmEligible, prepareModelTask, runModelRange, type ModelWasmTask } from './wasm/lif-wasm.js'

// Models
export { Lif, LifRef, LifLTC, LifRefLTC, type LifParams, type LifRefParams } from './models/lif.js'
export { neuronModels } from './models/index.js'
export type { NeuronModel, NeuronDesc, NeuronInputs } from './models/neuron-model.js'
export { Expon, DualExponV2, NMDA, synapseModels, type SynapseDesc, type SynapseModel } from './models/synapses.js'
export { COBA, CUBA, MgBlock, type OutputDesc } from './models/outputs.js'
export {
  ExpIF,
  ExpIFRef,
  ExpIFLTC,
  ExpIFRefLTC,
  AdExIF,
  AdExIFRef,
  AdExIFLTC,
  AdExIFRefLTC,
  type ExpIFParams,
  type ExpIFRefParams,
  type AdExIFParams,
  type AdExIFRefParams,
} from './models/exp-if.js'
export { QuaIF, QuaIFRef, QuaIFLTC, QuaIFRefLTC, type QuaIFParams, type QuaIFRefParams } from './models/qua-if.js'
export {
  Izhikevich,
  IzhikevichRef,
  IzhikevichLTC,
  IzhikevichRefLTC,
  type IzhikevichParams,
  type IzhikevichRefParams,
} from './models/izhikevich.js'
export { HH, HHLTC, hhSteadyGates, type HHParams } from './models/hh.js'
export { IF, IFLTC, type IFParams } from './models/if.js'
export { AdQuaIF, AdQuaIFRef, AdQuaIFLTC, AdQuaIFRefLTC, type AdQuaIFParams, type AdQuaIFRefParams } from './models/adqua-if.js'
export { Gif, GifRef, GifLTC, GifRefLTC, type GifParams, type GifRefParams } from './models/gif.js'
export { PoissonGroup, SpikeTimeGroup, type PoissonGroupParams, type SpikeTimeGroupParams } from './models/sources.js'
export { Alpha, DualExpon } from './models/synapses-rise.js'
export type { ParamSpec } from './models/params.js'
export { normal, uniform, type Initializer } from './init.js'

// Comm layers and connectivity
export {
  EventJitFPHomoLinear,
  EventJitFPUniformLinear,
  EventJitFPNormalLinear,
  JitFPHomoLinear,
  JitFPUniformLinear,
  JitFPNormalLinear,
  type JitCommDesc,
  type JitParams,
  type JitData,
} from './comm/jit.js'
export { EventCSRLinear, CSRLinear, FixedProb, FromList, stored, type Connector, type CsrData, type DrawnRows } from './comm/csr.js'
export { One2One, type One2OneData } from './comm/one2one.js'
export { All2All, type All2AllData } from './comm/all2all.js'
export { Linear, type LinearData } from './comm/linear.js'
export { FixedPostNum, FixedPreNum, type FixedNumConnector } from './comm/fixed-num.js'
export {
  commLayers,
  commLayerOf,
  commSelfOffset,
  commSynapses,
  type CommDesc,
  type CommLayerData,
} from './comm/registry.js'
export type {
  CommLayer,
  CommContext,
  CommExport,
  Deliver,
  DrawnLaw,
  ResolvedComm,
  RowScratch,
  SynapseList,
  WeightScaling,
} from './comm/types.js'
export {
  buildGapTable,
  gapOf,
  generateRow,
  generateRows,
  lnUniform,
  GAP_TABLE_MAX,
  type GapTable,
  type RowGenerator,
  type RowWeight,
} from './comm/rows.js'

// Entity builders
export { addPopulation, stateOf, setParam, getParam, modelOf } from './builders/population.js'
export {
  addProjection,
  FullProjAlignPostMg,
  FullProjAlignPost,
  HalfProjAlignPostMg,
  HalfProjAlignPost,
  STDP_Song2000,
  fromQueue,
  type ProjectionDesc,
  type QueueSlice,
} from './builders/projection.js'
export { addInput, setInput, type InputSpec } from './builders/input.js'
export { populationOf, projectionOf, inputOf } from './builders/lookup.js'
export { addSpikeBuffer, pushSpike, setSpikes } from './builders/spike-buffer.js'
export { addValueBuffer, pushValue, setValues } from './builders/value-buffer.js'
export { sectionInput, type Section } from './builders/sections.js'
export {
  addSpikeMonitor,
  addRateMonitor,
  addStateProbe,
  spikeData,
  probeData,
  rateData,
  meanRateHz,
  type MonitorOptions,
} from './builders/monitor.js'
export { addChecker, type CheckerOptions } from './builders/checker.js'

// Real-time hosts: a fixed-timestep driver and live interaction between frames
export {
  createDriver,
  advanceFrame,
  singleStep,
  pauseDriver,
  resumeDriver,
  setSpeed,
  setTickCap,
  type Driver,
  type DriverOptions,
  type FrameReport,
} from './live/driver.js'
export { addSpikeTap, clearTap, tapSpikes, type SpikeTap, type TapFrame } from './live/tap.js'
export { setWeightScale, weightScaleOf } from './live/weights.js'
export { weightsOf, setWeights, plasticSynapses, tracesOf } from './live/plasticity.js'
export {
  Plasticity,
  stdpDepress,
  stdpPotentiate,
  stdpPostTrace,
  stdpPreTrace,
  type StdpData,
  type StdpParams,
  type StdpResolved,
} from './plasticity/stdp.js'
export { addSpikeInjector, injectSpikes, injectEvents, type SpikeInjector, type SpikeInjectorOptions } from './live/inject.js'
export { threadsOf, threadTimers, threadTimings, autoDecision, AUTO_MIN_NEURONS, type AutoDecision } from './threads/build.js'
export { AUTO_MARGIN } from './threads/auto.js'
export {
  prepareThreads,
  releaseThreads,
  setThreadWorkerFactory,
  threadsAvailable,
  hostCores,
  type ThreadWorker,
  type ThreadWorkerFactory,
} from './threads/pool.js'
