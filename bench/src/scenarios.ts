/**
 * The microbenchmark scenarios by group (the first word of a scenario id), each group built on demand in the
 * child process that runs it. `scenarioIds` lists them for the parent, which starts one child per scenario.
 */
import { cobaSnapshot } from './lib/fixtures.js'
import type { MicroScenario } from './lib/micro.js'
import { neuronScenarios } from './neuron/scenario.js'
import { commScenarios } from './comm/scenario.js'
import { delayScenarios } from './delay/scenario.js'
import { alignPostScenarios } from './align-post/scenario.js'
import { outputScenarios } from './output/scenario.js'

export const scenarioGroups: Readonly<Record<string, () => MicroScenario[]>> = {
  neuron: () => neuronScenarios(cobaSnapshot()),
  comm: () => commScenarios(),
  delay: () => delayScenarios(),
  align: () => alignPostScenarios(cobaSnapshot()),
  output: () => outputScenarios(cobaSnapshot()),
}

/** Every scenario id, in the order the suite runs and reports them. */
export const scenarioIds: readonly string[] = [
  'neuron-LifRef-fused',
  'neuron-LifRefLTC-fused',
  'neuron-LifRef-alone',
  'neuron-LifRefLTC-alone',
  'comm-csr',
  'comm-jit',
  'delay-push-8',
  'delay-push-800',
  'delay-read',
  'align-post-plain',
  'align-post-mg',
  'output-coba',
]
