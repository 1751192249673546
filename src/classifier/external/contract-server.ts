/**
 * For tests: an HTTP server on 127.0.0.1 that speaks a scorer's contract, records every
 * request Parley sends, and answers what the test tells it to (late, broken, or well).
 */
import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Answer {
  status?: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  raw?: string;
  delayMs?: number;
}

export interface ContractServer {
  baseUrl: string;
  requests: RecordedRequest[];
  answer: (request: RecordedRequest) => Answer;
  close(): Promise<void>;
}

export async function contractServer(answer: (request: RecordedRequest) => Answer): Promise<ContractServer> {
  const timers = new Set<NodeJS.Timeout>();
  const state: ContractServer = { baseUrl: "", requests: [], answer, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // recorded as text
      }
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      state.requests.push(recorded);
      const a = state.answer(recorded);
      const send = () => {
        res.writeHead(a.status ?? 200, { "content-type": "application/json" });
        res.end(a.raw ?? JSON.stringify(a.body ?? {}));
      };
      if (a.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) send();
        }, a.delayMs);
        timers.add(t);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    for (const t of timers) clearTimeout(t);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
