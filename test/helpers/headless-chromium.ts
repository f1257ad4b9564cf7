import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The Chromium binary: `SLUICE_CHROMIUM`, else the first of chromium, chromium-browser, google-chrome on PATH. */
export function findChromium(): string {
  const own = process.env.SLUICE_CHROMIUM;
  if (own !== undefined && own !== '') return own;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // not on PATH: try the next name
    }
  }
  throw new Error("No Chromium found: run scripts/install-chromium.sh (Debian's 'chromium' package) or set SLUICE_CHROMIUM to a Chromium binary.");
}

interface Pending {
  resolve(v: Record<string, unknown>): void;
  reject(e: Error): void;
}

type EventHandler = (method: string, params: Record<string, unknown>, sessionId: string | undefined) => void;

/**
 * Headless Chromium driven over the Chrome DevTools Protocol on a pipe
 * (`--remote-debugging-pipe`: NUL-terminated JSON on file descriptors 3 and 4), so no
 * WebSocket client is needed. For end-to-end tests of the dashboard page.
 */
export class HeadlessChromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Set<EventHandler>();
  private buffered = '';
  private stderr = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const out = child.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => this.receive(chunk));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      this.stderr = (this.stderr + s).slice(-4000);
    });
    child.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`Chromium exited. Its stderr ends with:\n${this.stderr}`));
      this.pending.clear();
    });
  }

  /** Starts Chromium headless with a fresh profile. */
  static async launch(): Promise<HeadlessChromium> {
    const profile = mkdtempSync(join(tmpdir(), 'sluice-chromium-'));
    const args = [
      '--headless',
      '--remote-debugging-pipe',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-extensions',
      '--disable-background-networking',
      '--no-first-run',
      '--no-default-browser-check',
      '--hide-scrollbars',
      '--mute-audio',
      `--user-data-dir=${profile}`,
      'about:blank',
    ];
    const child = spawn(findChromium(), args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    const browser = new HeadlessChromium(child, profile);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    await browser.send('Browser.getVersion');
    return browser;
  }

  /** Sends one command (to a page when `sessionId` is given) and resolves with its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(new Error(`Chromium has exited. Its stderr ends with:\n${this.stderr}`));
    const id = this.nextId++;
    const message = JSON.stringify(sessionId === undefined ? { id, method, params } : { id, method, params, sessionId });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.child.stdio[3] as Writable).write(`${message}\0`);
    });
  }

  /** Opens a tab of `width` x `height` CSS pixels on `url` and resolves after its load event. */
  async open(url: string, width = 1400, height = 1000): Promise<CdpPage> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const page = new CdpPage(this, sessionId);
    await page.call('Page.enable');
    await page.call('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    const loaded = this.waitForEvent('Page.loadEventFired', sessionId, 30_000);
    await page.call('Page.navigate', { url });
    await loaded;
    return page;
  }

  /** Closes the browser and deletes its profile. */
  async close(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      await Promise.race([this.send('Browser.close').catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.profile, { recursive: true, force: true });
  }

  private waitForEvent(method: string, sessionId: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.handlers.delete(handler);
        reject(new Error(`No ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const handler: EventHandler = (m, _params, s) => {
        if (m !== method || s !== sessionId) return;
        clearTimeout(timer);
        this.handlers.delete(handler);
        resolve();
      };
      this.handlers.add(handler);
    });
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let end = this.buffered.indexOf('\0');
    while (end >= 0) {
      const msg = JSON.parse(this.buffered.slice(0, end)) as {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
        method?: string;
        params?: Record<string, unknown>;
        sessionId?: string;
      };
      this.buffered = this.buffered.slice(end + 1);
      end = this.buffered.indexOf('\0');
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error !== undefined) p?.reject(new Error(`CDP error: ${msg.error.message}`));
        else p?.resolve(msg.result ?? {});
      } else if (msg.method !== undefined) for (const h of this.handlers) h(msg.method, msg.params ?? {}, msg.sessionId);
    }
  }
}

/** One tab. */
export class CdpPage {
  constructor(
    private readonly browser: HeadlessChromium,
    private readonly sessionId: string,
  ) {}

  /** A CDP command on this tab. */
  call(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.browser.send(method, params, this.sessionId);
  }

  /** Evaluates a JS expression in the page (promises awaited) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.call('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails !== undefined) throw new Error(`In the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  /** Polls `expression` until it is truthy (resolving with its value), failing after `timeoutMs` with `what`. */
  async waitFor<T>(expression: string, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.evaluate<T>(expression);
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Saves a PNG of the whole page (its full content height). */
  async screenshot(path: string): Promise<void> {
    const metrics = (await this.call('Page.getLayoutMetrics')) as { cssContentSize: { width: number; height: number } };
    const { width, height } = metrics.cssContentSize;
    const clip = { x: 0, y: 0, width: Math.ceil(width), height: Math.ceil(height), scale: 1 };
    const { data } = (await this.call('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip })) as { data: string };
    writeFileSync(path, Buffer.from(data, 'base64'));
  }
}
