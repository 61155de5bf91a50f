import { build } from 'vite';

/** The browser tests run against the web app as built from the current sources. */
export default async function setup() {
  // Built as it is shipped (vitest sets NODE_ENV=test, which would give React's development
  // build, three times the size — the fast-3G test measures what a phone downloads).
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: 'vite.config.ts', logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = before;
  }
}
