// Asserting refusals: the call throws a SpikecsError (not any other exception) whose message is the one given.
import * as assert from 'uvu/assert'
import { SpikecsError } from '@spikecs/ecs-core'

/** Runs `fn`, which must throw a SpikecsError whose message equals `message` (a string) or matches it (a RegExp). */
export function assertRefused(fn: () => unknown, message: string | RegExp, what = 'call'): SpikecsError {
  let error: unknown = null
  try {
    fn()
  } catch (e) {
    error = e
  }
  if (error === null) assert.unreachable(`${what}: no error was thrown`)
  if (!(error instanceof SpikecsError)) assert.unreachable(`${what}: threw ${String(error)}, not a SpikecsError`)
  const msg = (error as Error).message
  if (typeof message === 'string') assert.is(msg, message, what)
  else assert.match(msg, message, what)
  return error as SpikecsError
}
