import { build } from 'vite';

/** The browser tests run against the web app as built from the current sources. */
export default async function setup() {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
