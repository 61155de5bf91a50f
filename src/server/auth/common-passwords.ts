import { createRequire } from 'node:module';

/**
 * Issue 10, item 8: Mozilla's list of common passwords (fxa-common-password-list, MPL-2.0,
 * filtered from the OWASP SecLists top million), decoded once into a set of lower-case entries.
 */
let cached: ReadonlySet<string> | undefined;
export function commonPasswords(): ReadonlySet<string> {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  // Its decoder is the package's own dependency: resolved from the package, not from us.
  const fromList = createRequire(require.resolve('fxa-common-password-list'));
  const { Decoder } = (
    fromList('incremental-encoder') as {
      default: { Decoder: new () => { decode(lines: string[]): string[] } };
    }
  ).default;
  const encoded = require('fxa-common-password-list/src/encoded-passwords.js') as string;
  const list = new Decoder().decode(encoded.split('\n'));
  cached = new Set(list.map((p) => p.trim().toLowerCase()).filter(Boolean));
  return cached;
}
