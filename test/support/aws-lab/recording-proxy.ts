import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from 'http';

/** One HTTP exchange between terraform and the local AWS, as the proxy saw it. */
export interface Exchange {
  /** What terraform was doing (the command), set by the test before running it. */
  readonly tag: string;
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly requestHeaders: IncomingHttpHeaders;
  readonly requestBody: string;
  readonly status: number;
  readonly responseHeaders: IncomingHttpHeaders;
}

/**
 * A recording proxy on 127.0.0.1 in front of moto: terraform's endpoints point here, so every request it
 * makes, and the status moto answered, is kept in order. Bodies are small (states of a few hundred bytes).
 */
export class RecordingProxy {
  readonly exchanges: Exchange[] = [];
  /** Tag for the exchanges recorded from now on. */
  tag = '';
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static start(upstream: string): Promise<RecordingProxy> {
    const target = new URL(upstream);
    return new Promise((resolve, reject) => {
      let proxy: RecordingProxy;
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          const tag = proxy.tag;
          const forward = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (upstreamRes) => {
            const answer: Buffer[] = [];
            upstreamRes.on('data', (c: Buffer) => answer.push(c));
            upstreamRes.on('end', () => {
              proxy.exchanges.push({
                tag,
                method: req.method ?? '',
                url: req.url ?? '',
                requestHeaders: req.headers,
                requestBody: body.toString('utf8'),
                status: upstreamRes.statusCode ?? 0,
                responseHeaders: upstreamRes.headers,
              });
              res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
              res.end(Buffer.concat(answer));
            });
          });
          forward.on('error', (error) => {
            res.writeHead(502);
            res.end(String(error));
          });
          forward.end(body);
        });
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        proxy = new RecordingProxy(server, `http://127.0.0.1:${port}`);
        resolve(proxy);
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
