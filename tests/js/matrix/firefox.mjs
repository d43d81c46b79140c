// Firefox pages for driver.mjs: Debian's firefox-esr driven over WebDriver BiDi by puppeteer-core (Playwright drives
// only its own patched Firefox build, which cannot be installed here). One browser, launched on first use, a context
// per person; fake camera and microphone and no permission prompt; loopback ICE candidates (the SFU listens on
// 127.0.0.1 in the tests) and no mDNS hiding of host addresses. An adapter gives these pages the same operations as
// the Playwright pages of driver.mjs.
import puppeteer from 'puppeteer-core';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
};

let browser = null;

export async function firefoxContext(log) {
  if (!browser) {
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true,
      extraPrefsFirefox: PREFS, timeout: 60000 });
    log(`driver: firefox ${await browser.version()} up`);
  }
  return browser.createBrowserContext();
}

export async function closeFirefox() {
  if (browser) await browser.close().catch(() => {});
  browser = null;
}

/** The operations driver.mjs needs, on a puppeteer page. */
export class FirefoxPage {
  constructor(page) {
    this.page = page;
  }

  click(selector, timeout) {
    return this.page.locator(selector).setTimeout(timeout).click();
  }

  fill(selector, value, timeout) {
    return this.page.locator(selector).setTimeout(timeout).fill(value);
  }

  async waitFor(selector, state, timeout) {
    if (state === 'hidden' || state === 'detached') await this.page.waitForSelector(selector, { hidden: true, timeout });
    else await this.page.waitForSelector(selector, { visible: state === 'visible', timeout });
  }

  async count(selector) {
    return (await this.page.$$(selector)).length;
  }

  screenshot(path) {
    return this.page.screenshot({ path });
  }

  evaluate(expression) {
    return this.page.evaluate(expression);
  }
}
