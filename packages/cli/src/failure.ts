/**
 * How a failure is told: one line for what a user can act on (a refused parameter, a file that cannot be read
 * or written, memory that cannot be had), the stack only for what would be a fault of spikecs itself.
 */
import { SpikecsError } from '@spikecs/ecs-core'

export function describeFailure(e: unknown): string {
  if (!(e instanceof Error)) return String(e)
  if (e instanceof SpikecsError) return e.message
  // Errors of the operating system (ENOENT, EACCES, ENOSPC…) carry a string code.
  if (typeof (e as NodeJS.ErrnoException).code === 'string') return e.message
  if (e instanceof RangeError && /allocat|memory|Invalid (typed )?array length/i.test(e.message)) {
    return `out of memory: ${e.message} (try a smaller --scale or --duration)`
  }
  return e.stack ?? e.message
}
