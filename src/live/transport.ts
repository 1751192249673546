import type { Redis } from "ioredis";
import type { Client } from "pg";
import { broadcast, onBroadcast } from "../workers.js";

/**
 * How nodes tell each other that a story has new events: nothing on one node, PostgreSQL
 * LISTEN/NOTIFY or Redis pub/sub across several. Channels are per story, so a node only
 * hears about the stories its readers watch.
 */
export interface Transport {
  readonly kind: "local" | "workers" | "postgres" | "redis";
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  onMessage(handler: (channel: string, message: string) => void): void;
  /** Called after a lost connection is back: messages sent meanwhile may be lost, so reload. */
  onReconnect?(handler: () => void): void;
  close(): Promise<void>;
}

export function localTransport(): Transport {
  return {
    kind: "local",
    publish: async () => undefined,
    subscribe: async () => undefined,
    unsubscribe: async () => undefined,
    onMessage: () => undefined,
    close: async () => undefined,
  };
}

/**
 * The workers of one server on SQLite (PARLEY_WORKERS > 1): the primary relays each
 * announcement over the cluster's IPC channel to every sibling (src/workers.ts). A worker
 * hears only the channels its readers watch. IPC between a parent and its children loses
 * nothing while both live; a worker that restarts reloads from the table like any new node.
 */
export function workersTransport(): Transport {
  const watched = new Set<string>();
  let handler: (channel: string, message: string) => void = () => undefined;
  const stop = onBroadcast("live", (payload) => {
    const cut = payload.indexOf("\n");
    const channel = payload.slice(0, cut);
    if (watched.has(channel)) handler(channel, payload.slice(cut + 1));
  });
  return {
    kind: "workers",
    publish: async (channel, message) => broadcast("live", `${channel}\n${message}`),
    subscribe: async (channel) => void watched.add(channel),
    unsubscribe: async (channel) => void watched.delete(channel),
    onMessage(h) {
      handler = h;
    },
    close: async () => {
      watched.clear();
      stop();
    },
  };
}

const pgChannel = (channel: string) => `parley_${channel.replace(/[^a-z0-9_]/g, "_")}`.slice(0, 63);

/** LISTEN/NOTIFY on a dedicated connection; NOTIFY through the pool. */
export async function postgresTransport(
  connection: { connectionString: string; schema?: string },
  pool: { query(sql: string, values: unknown[]): Promise<unknown> },
): Promise<Transport> {
  const names = new Map<string, string>();
  let handler: (channel: string, message: string) => void = () => undefined;
  let reconnected: () => void = () => undefined;
  let closed = false;
  // One query at a time on the listening connection (pg queues them, but warns and will stop doing so).
  let queue: Promise<unknown> = Promise.resolve();
  const { default: pg } = await import("pg");
  const open = async (): Promise<Client> => {
    const next = new pg.Client({ connectionString: connection.connectionString });
    next.on("notification", (n) => {
      const channel = names.get(n.channel);
      if (channel) handler(channel, n.payload ?? "");
    });
    // The database went away (restart, failover): without this listener pg's "error" would end
    // the process. Reconnect and listen again; fan-out resumes when the database is back.
    next.on("error", () => undefined);
    await next.connect();
    next.on("end", () => {
      if (!closed) setTimeout(() => void reopen(), 1000).unref();
    });
    for (const name of names.keys()) await next.query(`LISTEN "${name}"`);
    return next;
  };
  const reopen = async () => {
    if (closed) return;
    try {
      client = await open();
      reconnected();
    } catch {
      setTimeout(() => void reopen(), 1000).unref();
    }
  };
  let client = await open();
  const run = (text: string) => {
    const next = queue.then(() => client.query(text));
    queue = next.catch(() => undefined);
    return next.then(() => undefined);
  };
  return {
    kind: "postgres",
    async publish(channel, message) {
      await pool.query("select pg_notify($1, $2)", [pgChannel(channel), message]);
    },
    async subscribe(channel) {
      names.set(pgChannel(channel), channel);
      await run(`LISTEN "${pgChannel(channel)}"`);
    },
    async unsubscribe(channel) {
      names.delete(pgChannel(channel));
      await run(`UNLISTEN "${pgChannel(channel)}"`);
    },
    onMessage(h) {
      handler = h;
    },
    onReconnect(h) {
      reconnected = h;
    },
    async close() {
      closed = true;
      await queue;
      await client.end().catch(() => undefined);
    },
  };
}

/** Redis pub/sub: one connection publishes, a second one subscribes. */
export async function redisTransport(publisher: Redis): Promise<Transport> {
  const subscriber = publisher.duplicate();
  let handler: (channel: string, message: string) => void = () => undefined;
  let reconnected: () => void = () => undefined;
  let ready = 0;
  subscriber.on("message", (channel: string, message: string) => handler(channel.replace(/^parley:/, ""), message));
  // ioredis resubscribes by itself after a reconnect; messages published meanwhile are gone.
  subscriber.on("ready", () => {
    if (ready++ > 0) reconnected();
  });
  return {
    kind: "redis",
    onReconnect(h) {
      reconnected = h;
    },
    async publish(channel, message) {
      await publisher.publish(`parley:${channel}`, message);
    },
    async subscribe(channel) {
      await subscriber.subscribe(`parley:${channel}`);
    },
    async unsubscribe(channel) {
      await subscriber.unsubscribe(`parley:${channel}`);
    },
    onMessage(h) {
      handler = h;
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
