// The COBAHH preset, kept in its own entry until it is wired into the presets index and the CLI.
export { cobahh, cobahhDefaults, type CobahhParams, type CobahhNetwork } from './cobahh.js'
