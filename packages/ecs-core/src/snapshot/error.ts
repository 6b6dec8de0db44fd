import { SpikecsError } from '../errors.js'

/** Why a blob was refused. */
export type SnapshotRefusal =
  | 'not-a-snapshot'
  | 'newer-format'
  | 'older-format'
  | 'truncated'
  | 'corrupted'
  | 'dtype'
  | 'network'
  | 'component'

/** A refused restore: `reason` says which check failed; the message says what was expected and found. */
export class SnapshotError extends SpikecsError {
  readonly reason: SnapshotRefusal
  constructor(reason: SnapshotRefusal, param: string, value: unknown, requirement: string) {
    super('restore', param, value, requirement)
    this.name = 'SnapshotError'
    this.reason = reason
  }
}
