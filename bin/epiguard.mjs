#!/usr/bin/env node
// The `epiguard` command. Runs the TypeScript sources through tsx, so there is no build step
// for the server; the web app is built by `npm install` (the `prepare` script).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
