import cluster from "node:cluster";

/**
 * The message bus between the worker processes of one server (PARLEY_WORKERS > 1): a worker
 * sends a message to the primary over the cluster's IPC channel, and the primary hands it to
 * every other worker (src/primary.ts). It carries two things, both small:
 *  - "live": a story (or the moderation queue) has new events; each worker then reads them
 *    from the events table itself, so delivery stays exactly once and in order (src/live);
 *  - "forget": an in-process cache the sender just invalidated (the sites and their settings),
 *    which each sibling forgets too.
 * In a single process, or in a test, nothing is sent and nothing arrives.
 */
export interface BusMessage {
  parley: "bus";
  topic: string;
  payload: string;
}

type Handler = (payload: string) => void;
const handlers = new Map<string, Set<Handler>>();
let listening = false;

export const isBusMessage = (message: unknown): message is BusMessage =>
  typeof message === "object" && message !== null && (message as { parley?: unknown }).parley === "bus";

/** True in a worker started by the primary: siblings share its database file and hear its messages. */
export function inWorkerCluster(): boolean {
  return cluster.isWorker && typeof process.send === "function";
}

/** Tells every sibling worker; the sender does its own part itself. */
export function broadcast(topic: string, payload = ""): void {
  if (!inWorkerCluster() || !process.connected) return;
  const message: BusMessage = { parley: "bus", topic, payload };
  process.send?.(message);
}

/** Runs `handler` for every message siblings broadcast on `topic`; returns a function that stops it. */
export function onBroadcast(topic: string, handler: Handler): () => void {
  if (!listening && inWorkerCluster()) {
    listening = true;
    process.on("message", (message: unknown) => {
      if (!isBusMessage(message)) return;
      for (const h of handlers.get(message.topic) ?? []) h(message.payload);
    });
  }
  let set = handlers.get(topic);
  if (!set) handlers.set(topic, (set = new Set()));
  set.add(handler);
  return () => {
    set.delete(handler);
  };
}
