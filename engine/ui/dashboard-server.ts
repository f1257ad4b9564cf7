import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invalidArgument, SluiceError } from '../../common/errors.js';
import type { StreamingQueryManager } from '../execution/streaming-query-manager.js';
import type { DashboardAsset } from './dashboard-assets.js';
import { loadDashboardAssets } from './dashboard-assets.js';
import type { DashboardQueryDetail, DashboardQuerySummary } from './dashboard-state.js';
import { DashboardState } from './dashboard-state.js';
import { SseHub } from './sse-hub.js';

/** Options of the live dashboard (`Sluice.builder().ui(port, options)`). */
export interface DashboardOptions {
  /** Interface to listen on (default `127.0.0.1`, loopback only). Anything else exposes query plans and errors to the network. */
  readonly host?: string;
  /** Progress events kept per query run (default 500). */
  readonly historySize?: number;
}

const TEXT = 'text/plain; charset=utf-8';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Checks `ui(port, options)` arguments; INVALID_ARGUMENT naming the fix. */
export function checkDashboardOptions(port: number, options: DashboardOptions = {}): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidArgument(`ui() needs a port from 0 to 65535 (0 picks a free port), got ${port}.`);
  const h = options.historySize;
  if (h !== undefined && (!Number.isInteger(h) || h < 1)) throw invalidArgument(`ui() option historySize needs a positive integer, got ${h}.`);
  if (options.host !== undefined && (typeof options.host !== 'string' || options.host === ''))
    throw invalidArgument(`ui() option host needs an interface name or address, e.g. '127.0.0.1'.`);
}

/**
 * The live dashboard of a session's streaming queries (in the manner of Spark's Structured
 * Streaming tab), served from this process with node:http. It listens to the session's
 * query events only (a {@link StreamingQueryListener}), never to engine internals.
 *
 * Routes (GET): `/` the page; `/assets/*` its script and styles; `/api/queries` the app name,
 * the history bound and every run as JSON (active first); `/api/queries/:id` one run (by run id, or the newest run of a
 * query id) with its progress history; `/api/events` a Server-Sent Events stream that
 * starts with a `snapshot` event (the list) and then sends `query` (a run changed) and
 * `progress` (a run finished a batch) events.
 *
 * Contract: listens on loopback unless `host` says otherwise, and then answers only
 * requests addressed to a loopback name (no DNS rebinding); read-only; history bounded per
 * run; {@link close} ends every stream and frees the port.
 */
export class DashboardServer {
  /** The page's address, e.g. `http://127.0.0.1:4040/`. */
  readonly url: string;
  /** The port listened on (the chosen one when 0 was asked for). */
  readonly port: number;
  private readonly hub = new SseHub();
  private readonly unsubscribe: () => void;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly state: DashboardState,
    private readonly assets: ReadonlyMap<string, DashboardAsset>,
    private readonly manager: StreamingQueryManager,
    private readonly loopbackOnly: boolean,
    host: string,
    private readonly appName: string,
    private readonly historySize: number,
  ) {
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${this.port}/`;
    this.unsubscribe = state.subscribe((change) => {
      if (change.kind === 'query') this.hub.broadcast('query', change.query);
      else this.hub.broadcast('progress', { runId: change.runId, progress: change.progress });
    });
    manager.addListener(state);
    server.on('request', (req, res) => this.handle(req, res));
  }

  /** Starts the server on `port` (0: a free port) and subscribes to the manager's query events. */
  static async start(manager: StreamingQueryManager, port: number, options: DashboardOptions = {}, appName = 'sluice'): Promise<DashboardServer> {
    checkDashboardOptions(port, options);
    const host = options.host ?? '127.0.0.1';
    const assets = await loadDashboardAssets();
    const historySize = options.historySize ?? 500;
    const state = new DashboardState({
      historySize,
      planOf: (id) => manager.get(id)?.explain() ?? null,
    });
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        const hint = e.code === 'EADDRINUSE' ? ` Port ${port} is in use: pick another port, or 0 for a free one.` : '';
        reject(new SluiceError('IO_ERROR', `The dashboard could not listen on ${host}:${port}: ${e.message}.${hint}`, { domain: 'external', cause: e }));
      });
      server.listen(port, host, () => resolve());
    });
    return new DashboardServer(server, state, assets, manager, LOOPBACK.has(host), host, appName, historySize);
  }

  /** Every run the dashboard knows (what `/api/queries` serves). */
  queries(): DashboardQuerySummary[] {
    return this.state.list();
  }

  /** One run with its history (what `/api/queries/:id` serves), or undefined. */
  query(id: string): DashboardQueryDetail | undefined {
    return this.state.get(id);
  }

  /** Ends the event streams, stops listening and unsubscribes; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.manager.removeListener(this.state);
    this.unsubscribe();
    this.hub.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (this.loopbackOnly && !LOOPBACK.has(hostName(req.headers.host ?? ''))) send(res, 403, TEXT, 'Forbidden: not a loopback host name.\n');
    else if (req.method !== 'GET' && req.method !== 'HEAD') send(res, 405, TEXT, 'Only GET.\n');
    else this.route(new URL(req.url ?? '/', 'http://x').pathname, res);
  }

  private route(path: string, res: ServerResponse): void {
    if (path === '/' || path === '/index.html') this.asset(res, 'index.html');
    else if (path.startsWith('/assets/')) this.asset(res, path.slice('/assets/'.length));
    else if (path === '/api/queries') json(res, 200, this.snapshot());
    else if (path.startsWith('/api/queries/')) {
      const q = this.state.get(decodeURIComponent(path.slice('/api/queries/'.length)));
      if (q === undefined) json(res, 404, { error: 'No query run with this run id or query id.' });
      else json(res, 200, q);
    } else if (path === '/api/events') this.hub.open(res, { event: 'snapshot', data: this.snapshot() });
    else if (path === '/favicon.ico') send(res, 204, TEXT, '');
    else send(res, 404, TEXT, 'Not found.\n');
  }

  private snapshot(): { app: string; historySize: number; queries: DashboardQuerySummary[] } {
    return { app: this.appName, historySize: this.historySize, queries: this.state.list() };
  }

  private asset(res: ServerResponse, name: string): void {
    const a = this.assets.get(name);
    if (a === undefined) {
      send(res, 404, TEXT, 'Not found.\n');
      return;
    }
    res.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
    res.setHeader('Cache-Control', 'no-cache');
    send(res, 200, a.contentType, a.body);
  }
}

/** The host name of a Host header, without the port (`[::1]:80` gives `::1`). */
function hostName(header: string): string {
  if (header.startsWith('[')) return header.slice(1, header.indexOf(']'));
  const colon = header.lastIndexOf(':');
  return (colon < 0 ? header : header.slice(0, colon)).toLowerCase();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.setHeader('Cache-Control', 'no-store');
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
