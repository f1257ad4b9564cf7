import type { ServerResponse } from 'node:http';

/** A client whose unsent output grows past this is too slow to follow: it is disconnected (EventSource reconnects and starts from a snapshot). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * The open Server-Sent Events streams of the dashboard: sends named events to every client,
 * a comment every `heartbeatMs` so idle connections stay open through proxies, and ends
 * every stream on {@link close}.
 */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 15_000) {
    this.heartbeat = setInterval(() => {
      for (const res of this.clients) this.write(res, ': ping\n\n');
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  /** Number of connected clients. */
  get size(): number {
    return this.clients.size;
  }

  /** Turns `res` into an event stream and sends it `first` (the snapshot it starts from). */
  open(res: ServerResponse, first: { event: string; data: unknown }): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    // A client that went away mid-write must not become an unhandled 'error' event.
    res.on('error', () => this.clients.delete(res));
    this.write(res, 'retry: 2000\n\n');
    this.write(res, frame(first.event, first.data));
  }

  /** Sends one event to every client. */
  broadcast(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = frame(event, data);
    for (const res of this.clients) this.write(res, text);
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(res: ServerResponse, text: string): void {
    if (res.destroyed || res.writableEnded) {
      this.clients.delete(res);
      return;
    }
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.clients.delete(res);
      res.destroy();
      return;
    }
    res.write(text);
  }
}

/** One SSE frame; JSON has no raw newlines, so one `data:` line suffices. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
