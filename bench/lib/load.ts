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

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Responses outside 2xx, and connection errors or timeouts. */
  failures: number;
  requests: number;
}

/** One autocannon run; latencies in milliseconds. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const perRequest = options.perRequest;
  const result = await autocannon({
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
  });
  const seconds = result.duration || options.seconds;
  return {
    requestsPerSecond: Math.round(result["2xx"] / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    failures: result.non2xx + result.errors + result.timeouts,
    requests: result.requests.total,
  };
}
