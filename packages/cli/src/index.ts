// The spikecs command as a library (for tests and scripts); Node only.
export { cli, type CliIO } from './cli.js'
export { parseCommand, UsageError, RUN_FLAGS, type Command, type RunRequest } from './args.js'
export { executeRun, prepareRun, finishRun, type PreparedRun, type RunResult, type RunHooks } from './run.js'
export { svgToPng } from './png.js'
export { usage, listing, summary } from './format.js'
export { exportCli, parseExport, exportUsage, EXPORT_FLAGS, type ExportRequest } from './export.js'
export { addSpikeHash, type SpikeHasher } from './spike-hash.js'
