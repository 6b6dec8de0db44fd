/** Builds the demo page into `outdir` (default demo/dist); resolves with the folder. */
export function buildDemo(options?: { outdir?: string; minify?: boolean }): Promise<string>
