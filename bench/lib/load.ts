import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** Builds each request's body and extra headers (for posting: unique text and key). */
  perRequest?: () => { body: string; headers?: Record<string, string> };
}

/** One autocannon run, with every response's latency kept so runs can be merged. */
export interface LoadRun {
  ok: number;
  failures: number;
  requests: number;
  seconds: number;
  latencies: number[];
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Latencies in milliseconds. */
  p50: number;
  p99: number;
  max: number;
  /** Responses outside 2xx, and connection errors or timeouts. */
  failures: number;
  requests: number;
}

export function run(options: LoadOptions): Promise<LoadRun> {
  const perRequest = options.perRequest;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        method: options.method ?? "GET",
        headers: options.headers,
        requests: perRequest
          ? [
              {
                setupRequest: (request) => {
                  const next = perRequest();
                  return { ...request, body: next.body, headers: { ...request.headers, ...next.headers } };
                },
              },
            ]
          : undefined,
      },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve({
          ok: result["2xx"],
          failures: result.non2xx + result.errors + result.timeouts,
          requests: result.requests.total,
          seconds: result.duration || options.seconds,
          latencies,
        });
      },
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const ms = (n: number) => Math.round(n * 10) / 10;

/** Several runs as one: requests/s over their summed time, percentiles over all their responses. */
export function summarize(runs: LoadRun[]): LoadResult {
  const sorted = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  return {
    requestsPerSecond: Math.round(runs.reduce((sum, r) => sum + r.ok, 0) / seconds),
    p50: ms(percentile(sorted, 0.5)),
    p99: ms(percentile(sorted, 0.99)),
    max: ms(sorted[sorted.length - 1] ?? 0),
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
  };
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  return summarize([await run(options)]);
}
