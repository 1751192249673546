import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import { type StoryEvent, eventsAfter, latestSeq } from "./store.js";
import { type Transport, localTransport } from "./transport.js";

/** One reader's live connection. `deliver` returns false when the reader is too slow to keep. */
export interface Subscriber {
  viewerId: string | null;
  moderator: boolean;
  deliver(event: StoryEvent): boolean;
  drop(): void;
}

export interface QueueChange {
  type: "queue.changed";
  /** The comment's site: desks of moderators of other sites never hear of it. */
  siteId: string;
  storyId: string;
  commentId: string;
  status: string;
}

interface Watched {
  subscribers: Set<Subscriber>;
  /** The last event this node loaded and delivered for the story. */
  lastSeq: number;
  loading: Promise<void> | null;
  again: boolean;
}

interface Joining {
  buffer: StoryEvent[];
  ready: boolean;
}

export const visibleTo = (event: StoryEvent, s: Pick<Subscriber, "viewerId" | "moderator">) =>
  event.audience === null || s.moderator || event.audience === s.viewerId;

const storyChannel = (storyId: string) => `story_${storyId}`;
const MODERATION = "moderation";

/**
 * Delivers story events to the readers connected to this node. A change anywhere is
 * announced on the transport; each node then loads the new events once, whatever its
 * number of readers, and hands each reader what it may see.
 */
export class LiveHub {
  private readonly stories = new Map<string, Watched>();
  private readonly opening = new Map<string, Promise<Watched>>();
  private readonly joining = new WeakMap<Subscriber, Joining>();
  private readonly moderators = new Set<(change: QueueChange) => void>();
  private transport: Transport = localTransport();
  private readonly node = randomUUID();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  get transportKind(): Transport["kind"] {
    return this.transport.kind;
  }

  get connections(): number {
    let n = this.moderators.size;
    for (const watched of this.stories.values()) n += watched.subscribers.size;
    return n;
  }

  async start(transport: Transport): Promise<void> {
    this.transport = transport;
    transport.onReconnect?.(() => {
      for (const storyId of this.stories.keys()) this.changed(storyId);
    });
    transport.onMessage((channel, message) => {
      if (channel === MODERATION) {
        const { origin, ...change } = JSON.parse(message) as QueueChange & { origin: string };
        if (origin !== this.node) this.deliverQueueChange(change);
      } else if (channel.startsWith("story_")) this.changed(channel.slice(6), Number(message) || undefined);
    });
  }

  async close(): Promise<void> {
    for (const watched of this.stories.values()) for (const s of watched.subscribers) s.drop();
    this.stories.clear();
    await this.transport.close();
  }

  /**
   * Adds a reader. Events after `fromSeq` are replayed from the table first; events that
   * arrive meanwhile wait in a buffer, so nothing is lost or delivered twice.
   */
  async watch(storyId: string, subscriber: Subscriber, fromSeq: number | null): Promise<number> {
    const watched = this.stories.get(storyId) ?? (await this.open(storyId));
    const joining: Joining = { buffer: [], ready: false };
    this.joining.set(subscriber, joining);
    watched.subscribers.add(subscriber);
    let position = fromSeq ?? watched.lastSeq;
    if (fromSeq !== null && fromSeq < watched.lastSeq) {
      for (;;) {
        const missed = await eventsAfter(this.db, storyId, position);
        for (const event of missed) {
          if (event.seq > watched.lastSeq) break;
          position = event.seq;
          if (visibleTo(event, subscriber) && !subscriber.deliver(event)) return position;
        }
        if (missed.length < 500 || position >= watched.lastSeq) break;
      }
    }
    joining.ready = true;
    for (const event of joining.buffer) if (event.seq > position) subscriber.deliver(event);
    joining.buffer = [];
    return position;
  }

  /**
   * Starts following a story on this node. Readers who arrive while that is under way wait
   * for the same opening: each of them creating its own record would leave all but the
   * last one's readers outside the map, never to hear of an event.
   */
  private open(storyId: string): Promise<Watched> {
    let opening = this.opening.get(storyId);
    if (!opening) {
      opening = (async () => {
        const watched: Watched = {
          subscribers: new Set(),
          lastSeq: (await latestSeq(this.db, storyId)) ?? 0,
          loading: null,
          again: false,
        };
        await this.transport.subscribe(storyChannel(storyId));
        this.stories.set(storyId, watched);
        // Events committed between reading lastSeq and subscribing would otherwise wait for the next one.
        this.changed(storyId);
        return watched;
      })().finally(() => this.opening.delete(storyId));
      this.opening.set(storyId, opening);
    }
    return opening;
  }

  unwatch(storyId: string, subscriber: Subscriber): void {
    const watched = this.stories.get(storyId);
    if (!watched) return;
    watched.subscribers.delete(subscriber);
    if (watched.subscribers.size === 0) {
      this.stories.delete(storyId);
      this.transport.unsubscribe(storyChannel(storyId)).catch(this.onError);
    }
  }

  /** Called after a transaction that recorded events commits: here and on every other node. */
  notify(storyId: string, seq: number): void {
    this.changed(storyId, seq);
    this.transport.publish(storyChannel(storyId), String(seq)).catch(this.onError);
  }

  private changed(storyId: string, seq?: number): void {
    const watched = this.stories.get(storyId);
    if (!watched || (seq !== undefined && seq <= watched.lastSeq)) return;
    if (watched.loading) {
      watched.again = true;
      return;
    }
    watched.loading = this.load(storyId, watched)
      .catch((error: unknown) => {
        this.onError(error);
        // The events are in the table: try again shortly rather than wait for the next change.
        setTimeout(() => this.changed(storyId), 1000).unref();
      })
      .finally(() => {
        watched.loading = null;
        if (watched.again) {
          watched.again = false;
          this.changed(storyId);
        }
      });
  }

  private async load(storyId: string, watched: Watched): Promise<void> {
    for (;;) {
      const events = await eventsAfter(this.db, storyId, watched.lastSeq);
      for (const event of events) {
        watched.lastSeq = event.seq;
        for (const subscriber of watched.subscribers) {
          if (!visibleTo(event, subscriber)) continue;
          const joining = this.joining.get(subscriber);
          if (joining && !joining.ready) joining.buffer.push(event);
          else if (!subscriber.deliver(event)) this.unwatch(storyId, subscriber);
        }
      }
      if (events.length < 500) return;
    }
  }

  watchQueue(listener: (change: QueueChange) => void): () => void {
    if (this.moderators.size === 0) this.transport.subscribe(MODERATION).catch(this.onError);
    this.moderators.add(listener);
    return () => {
      this.moderators.delete(listener);
      if (this.moderators.size === 0) this.transport.unsubscribe(MODERATION).catch(this.onError);
    };
  }

  /** Tells moderators' desks, on every node, that a queue changed. */
  queueChanged(change: QueueChange): void {
    this.deliverQueueChange(change);
    this.transport.publish(MODERATION, JSON.stringify({ ...change, origin: this.node })).catch(this.onError);
  }

  private deliverQueueChange(change: QueueChange): void {
    for (const listener of this.moderators) listener(change);
  }
}
