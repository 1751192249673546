/** A minimal server-sent events client for tests: collects frames from a streaming fetch. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
}

export interface SseClient {
  frames: SseFrame[];
  status: number;
  headers: Headers;
  /** Resolves with the frames once `predicate` holds, or rejects after `ms`. */
  until(predicate: (frames: SseFrame[]) => boolean, ms?: number): Promise<SseFrame[]>;
  close(): void;
}

export async function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  if (response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const frame: SseFrame = {};
            for (const line of block.split("\n")) {
              const at = line.indexOf(":");
              if (at <= 0) continue;
              const key = line.slice(0, at);
              const value = line.slice(at + 1).replace(/^ /, "");
              if (key === "id" || key === "event" || key === "data") frame[key] = value;
            }
            if (frame.id || frame.event || frame.data) frames.push(frame);
            for (const wake of waiters) wake();
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    frames,
    status: response.status,
    headers: response.headers,
    until(predicate, ms = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(frames)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(frames);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out; frames so far: ${JSON.stringify(frames).slice(0, 500)}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
