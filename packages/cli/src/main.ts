#!/usr/bin/env node
// Entry point of the `spikecs` command.
import { cli } from './cli.js'

process.exitCode = cli(process.argv.slice(2))
