/** A mistake in the command line: printed in one line with what is valid, exit code 2. */
export class UsageError extends Error {
  /** Whether `--help` would help (false for a path that cannot be written). */
  readonly hint: boolean
  constructor(message: string, options: { hint?: boolean } = {}) {
    super(message)
    this.name = 'UsageError'
    this.hint = options.hint ?? true
  }
}
