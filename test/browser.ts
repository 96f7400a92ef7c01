import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (.ci/run installs it); browser tests skip themselves without it. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium as the browser tests drive it: no sandbox (CI runs as root), nothing fetched in the background. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
