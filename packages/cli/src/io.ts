/** Where the command writes: standard output and error, or a test's capture of them. */
export interface CliIO {
  readonly stdout: { write(s: string): unknown }
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean }
}
