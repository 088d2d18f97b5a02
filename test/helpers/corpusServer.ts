/**
 * A local HTTP server (127.0.0.1, random port) serving test archives, with routes that fail in
 * the ways a real download can. Counts the requests it receives.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface Route {
  /** Writes the response; may leave it open (the server closes all sockets on `close`). */
  (req: http.IncomingMessage, res: http.ServerResponse): void;
}

export class CorpusServer {
  requests: string[] = [];
  private readonly server: http.Server;
  private readonly routes = new Map<string, Route>();

  constructor() {
    this.server = http.createServer((req, res) => {
      this.requests.push(req.url ?? '');
      const route = this.routes.get(req.url ?? '');
      if (route) route(req, res);
      else res.writeHead(404, { 'Content-Length': '9' }).end('not found');
    });
  }

  /** Registers `route` for the exact request path `url`. */
  on(url: string, route: Route): this {
    this.routes.set(url, route);
    return this;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** Absolute URL of `pathname` on this server. */
  url(pathname: string): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${pathname}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Sends `body` with a Content-Length in `chunks` writes spread over event-loop turns. */
export function serveBytes(body: Uint8Array, chunks = 4): Route {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': body.length });
    const step = Math.ceil(body.length / chunks);
    let pos = 0;
    const next = (): void => {
      if (pos >= body.length) {
        res.end();
        return;
      }
      res.write(body.subarray(pos, pos + step));
      pos += step;
      setTimeout(next, 1);
    };
    next();
  };
}

/** Announces `declared` bytes, sends the first `sent` bytes of `body`, then drops the connection. */
export function serveTruncated(body: Uint8Array, declared: number, sent: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Length': declared });
    res.write(body.subarray(0, sent), () => setTimeout(() => res.socket?.destroy(), 10));
  };
}

/** Sends headers and the first `sent` bytes of `body`, then stays silent. */
export function serveStalled(body: Uint8Array, sent: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Length': body.length });
    res.write(body.subarray(0, sent));
  };
}

/** Redirects with `status` to `location`. */
export function redirectTo(location: string, status = 302): Route {
  return (_req, res) => {
    res.writeHead(status, { Location: location, 'Content-Length': '0' }).end();
  };
}

/**
 * A body without `Content-Length` that goes on for `total` bytes in 64 KiB writes: far beyond
 * any limit, yet finite, so that a client without a limit fails the test without filling the
 * disk. Stops when the client goes away.
 */
export function serveEndless(total = 256 * 1024 * 1024): Route {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/zip' });
    let sent = 0;
    const next = (): void => {
      if (res.destroyed) return;
      if (sent >= total) {
        res.end();
        return;
      }
      sent += chunk.length;
      if (res.write(chunk)) setImmediate(next);
      else res.once('drain', next);
    };
    next();
  };
}

/** Announces all of `body` and sends it one byte every `intervalMs` (a drip: never idle). */
export function serveDrip(body: Uint8Array, intervalMs: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Length': body.length });
    let pos = 0;
    const timer = setInterval(() => {
      if (pos < body.length) res.write(body.subarray(pos, ++pos));
      else res.end();
    }, intervalMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** Announces `declared` bytes in `Content-Length`, then sends zeros until the client leaves. */
export function serveAnnounced(declared: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Length': declared });
    res.write(Buffer.alloc(Math.min(declared, 64 * 1024)));
  };
}
