import type { ClientRequest, IncomingMessage } from 'node:http';
import { get } from 'node:http';

/** One Server-Sent Event: its name and JSON-parsed data. */
export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** A minimal Server-Sent Events reader over node:http for tests: collects events and waits for one that matches. */
export class SseClient {
  readonly events: SseEvent[] = [];
  /** The response's status and headers. */
  response: IncomingMessage | null = null;
  ended = false;
  private buffered = '';
  private waiters: (() => void)[] = [];
  private request: ClientRequest | null = null;

  /** Connects to `url` and resolves once the response headers arrived. */
  static async connect(url: string): Promise<SseClient> {
    const client = new SseClient();
    await new Promise<void>((resolve, reject) => {
      client.request = get(url, (res) => {
        client.response = res;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.receive(chunk));
        res.on('end', () => {
          client.ended = true;
          client.wake();
        });
        res.on('error', () => undefined);
        resolve();
      });
      client.request.on('error', reject);
    });
    return client;
  }

  /** Resolves with the first event (in arrival order, from `from`) that `match` accepts; rejects after `timeoutMs`. */
  async waitFor(match: (e: SseEvent) => boolean, what: string, timeoutMs = 20_000, from = 0): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found !== undefined) return found;
      if (this.ended) throw new Error(`The event stream ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server ends the stream (rejects after `timeoutMs`). */
  async waitForEnd(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('The event stream did not end');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Disconnects. */
  close(): void {
    this.request?.destroy();
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let end = this.buffered.indexOf('\n\n');
    while (end >= 0) {
      const frame = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 2);
      end = this.buffered.indexOf('\n\n');
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ event, data: JSON.parse(data.join('\n')) });
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
