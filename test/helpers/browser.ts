import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, as root, with the flags that keep it off this machine's closed
 * network (background networking, component updates, sync, QUIC).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
