import type { Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { Database } from "../store/schema.js";
import type { DomainEvent, EventOf, EventType } from "./types.js";

export type { DomainEvent, EventOf, EventType } from "./types.js";

/** What a consumer gets with an event: the write's transaction, and a way to act once it commits. */
export interface Delivery {
  trx: Transaction<Database>;
  deps: Deps;
  /**
   * Runs `task` after the write commits (never if it fails). A later task with the same key
   * replaces an earlier one in its place, so e.g. a story is announced once per write.
   */
  afterCommit(key: string, task: () => void): void;
}

export type Consumer<E extends DomainEvent = DomainEvent> = (event: E, delivery: Delivery) => Promise<void> | void;

/**
 * The registry of consumers, filled at composition time (`src/runtime.ts`). Producers never
 * import a consumer: they emit, and every consumer of the event runs in the producer's
 * transaction, in the order they registered.
 */
export class EventSpine {
  readonly #consumers = new Map<EventType, { name: string; consume: Consumer }[]>();

  on<T extends EventType>(types: readonly T[], name: string, consume: Consumer<EventOf<T>>): this {
    for (const type of types) {
      const list = this.#consumers.get(type) ?? [];
      list.push({ name, consume: (event, delivery) => consume(event as EventOf<T>, delivery) });
      this.#consumers.set(type, list);
    }
    return this;
  }

  /** The names of an event's consumers, in the order they run. */
  consumersOf(type: EventType): string[] {
    return (this.#consumers.get(type) ?? []).map((c) => c.name);
  }

  async deliver(event: DomainEvent, delivery: Delivery): Promise<void> {
    for (const consumer of this.#consumers.get(event.type) ?? []) await consumer.consume(event, delivery);
  }
}

export type Emit = (trx: Transaction<Database>, event: DomainEvent) => Promise<void>;

/**
 * One write's events: `emit` them inside its transaction, call `committed()` once it has
 * committed. For a write that opens its own transaction, `withEvents` does both.
 */
export class Emitter {
  readonly #later = new Map<string, () => void>();

  constructor(private readonly deps: Deps) {}

  readonly emit: Emit = (trx, event) =>
    this.deps.events.deliver(event, {
      trx,
      deps: this.deps,
      afterCommit: (key, task) => void this.#later.set(key, task),
    });

  committed(): void {
    const tasks = [...this.#later.values()];
    this.#later.clear();
    for (const task of tasks) task();
  }
}

export const emitter = (deps: Deps) => new Emitter(deps);

/** Runs `write` in a transaction of its own, its events emitted inside and announced after the commit. */
export async function withEvents<T>(
  deps: Deps,
  write: (trx: Transaction<Database>, emit: Emit) => Promise<T>,
): Promise<T> {
  const events = emitter(deps);
  const result = await deps.store.db.transaction().execute((trx) => write(trx, events.emit));
  events.committed();
  return result;
}
