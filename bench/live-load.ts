/**
 * The readers of bench/live.ts, in their own process so that they do not share an event
 * loop with the server or the poster. It holds N server-sent-event streams open with plain
 * `http.request` (a socket and a few hundred bytes each, where fetch would cost a stream
 * pipeline per reader), notes when each reader receives each event, and, once told the time
 * each comment's POST was acknowledged, reports delivery latencies and losses.
 *
 * Messages over the IPC channel:
 *   in:  { open: { bases, path, readers, batch, timeoutMs } }  → out: { opened }
 *   in:  { finish: { acks: [commentId, ackMs][], drainMs } }  → out: { summary }
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

export interface OpenRequest {
  bases: string[];
  path: string;
  readers: number;
  batch: number;
  timeoutMs: number;
}

export interface Opened {
  readers: number;
  failed: number;
  ms: number;
  perBase: number[];
}

export interface Summary {
  events: number;
  readers: number;
  deliveries: number;
  expected: number;
  lost: number;
  duplicates: number;
  /** Readers whose stream ended before the end of the run. */
  dropped: number;
  /** Deliveries that arrived before the poster had read the POST's 201 (latency counted as 0). */
  beforeAck: number;
  p50: number;
  p99: number;
  max: number;
  /** The same over each event's last reader: how long the slowest reader of an event waits. */
  lastReaderP50: number;
  lastReaderP99: number;
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export const now = () => performance.timeOrigin + performance.now();

interface Reader {
  index: number;
  /** The `id:` of the ready frame: later ids are events. */
  start: number | null;
  carry: Buffer | null;
  ended: boolean;
  onReady: (() => void) | null;
}

const readers: Reader[] = [];
/** seq → receipt time per reader (NaN: not received). */
const receipts = new Map<number, Float64Array>();
/** seq → comment id, read from the first reader's frames only (parsing every frame would load the readers). */
const commentOfSeq = new Map<number, string>();
let duplicates = 0;
let total = 0;

const ID = Buffer.from("id: ");
const DATA = Buffer.from("\ndata: ");

function readInt(buf: Buffer, from: number): number {
  let n = 0;
  for (let i = from; i < buf.length; i++) {
    const c = buf[i];
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  return n;
}

function onFrame(reader: Reader, buf: Buffer, start: number, end: number, at: number): void {
  if (buf.compare(ID, 0, ID.length, start, start + ID.length) !== 0) return;
  const seq = readInt(buf, start + ID.length);
  if (reader.start === null) {
    reader.start = seq;
    reader.onReady?.();
    reader.onReady = null;
    return;
  }
  let times = receipts.get(seq);
  if (!times) {
    times = new Float64Array(total).fill(Number.NaN);
    receipts.set(seq, times);
  }
  if (Number.isNaN(times[reader.index])) times[reader.index] = at;
  else duplicates += 1;
  if (reader.index === 0) {
    const data = buf.indexOf(DATA, start);
    if (data >= 0 && data < end) {
      const payload = JSON.parse(buf.toString("utf8", data + DATA.length, end)) as { commentId?: string };
      if (payload.commentId) commentOfSeq.set(seq, payload.commentId);
    }
  }
}

function onData(reader: Reader, chunk: Buffer): void {
  const at = now();
  const buf = reader.carry ? Buffer.concat([reader.carry, chunk]) : chunk;
  let pos = 0;
  for (;;) {
    const end = buf.indexOf("\n\n", pos);
    if (end < 0) break;
    onFrame(reader, buf, pos, end, at);
    pos = end + 2;
  }
  reader.carry = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null;
}

function connect(reader: Reader, base: string, path: string, timeoutMs: number): Promise<boolean> {
  const url = new URL(path, base);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    function done(ok: boolean) {
      clearTimeout(timer);
      reader.onReady = null;
      resolve(ok);
    }
    reader.onReady = () => done(true);
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, agent: false, headers: { accept: "text/event-stream" } },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return done(false);
        }
        response.on("data", (chunk: Buffer) => onData(reader, chunk));
        response.on("close", () => {
          reader.ended = true;
          done(false);
        });
      },
    );
    request.on("error", () => {
      reader.ended = true;
      done(false);
    });
    request.end();
  });
}

async function open(req: OpenRequest): Promise<Opened> {
  const started = now();
  total = req.readers;
  let failed = 0;
  const perBase = req.bases.map(() => 0);
  for (let first = 0; first < req.readers; first += req.batch) {
    const batch: Promise<void>[] = [];
    for (let i = first; i < Math.min(first + req.batch, req.readers); i++) {
      const reader: Reader = { index: i, start: null, carry: null, ended: false, onReady: null };
      readers.push(reader);
      const which = i % req.bases.length;
      batch.push(
        connect(reader, req.bases[which], req.path, req.timeoutMs).then((ok) => {
          if (ok) perBase[which] += 1;
          else failed += 1;
        }),
      );
    }
    await Promise.all(batch);
    if (now() - started > req.timeoutMs * 4) break;
  }
  return { readers: readers.length - failed, failed, ms: Math.round(now() - started), perBase };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const round = (ms: number) => Math.round(ms * 10) / 10;

async function finish(acks: [string, number][], drainMs: number): Promise<Summary> {
  const ackOf = new Map(acks);
  const live = readers.filter((r) => r.start !== null);
  const expectedPerEvent = live.length;
  // Wait (bounded) until the first reader has seen every comment and every reader every event.
  const deadline = now() + drainMs;
  const complete = () => {
    if (commentOfSeq.size < acks.length) return false;
    for (const times of receipts.values()) for (const r of live) if (!r.ended && Number.isNaN(times[r.index])) return false;
    return true;
  };
  while (now() < deadline && !complete()) await new Promise((r) => setTimeout(r, 100));
  const samples: number[] = [];
  const lastReader: number[] = [];
  let deliveries = 0;
  let beforeAck = 0;
  let events = 0;
  for (const [seq, comment] of commentOfSeq) {
    const ack = ackOf.get(comment);
    const times = receipts.get(seq);
    if (ack === undefined || !times) continue;
    events += 1;
    let latest = 0;
    for (const r of live) {
      const t = times[r.index];
      if (Number.isNaN(t)) continue;
      deliveries += 1;
      if (t < ack) beforeAck += 1;
      const latency = Math.max(0, t - ack);
      samples.push(latency);
      latest = Math.max(latest, latency);
    }
    lastReader.push(latest);
  }
  const sorted = Float64Array.from(samples).sort();
  const sortedLast = Float64Array.from(lastReader).sort();
  const expected = acks.length * expectedPerEvent;
  return {
    events,
    readers: expectedPerEvent,
    deliveries,
    expected,
    lost: expected - deliveries,
    duplicates,
    dropped: live.filter((r) => r.ended).length,
    beforeAck,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : Number.NaN),
    lastReaderP50: round(percentile(sortedLast, 50)),
    lastReaderP99: round(percentile(sortedLast, 99)),
  };
}

process.on("message", (message: { open?: OpenRequest; finish?: { acks: [string, number][]; drainMs: number } }) => {
  if (message.open) void open(message.open).then((opened) => process.send?.({ opened }));
  if (message.finish) void finish(message.finish.acks, message.finish.drainMs).then((summary) => process.send?.({ summary }));
});
process.once("disconnect", () => process.exit(0));
process.send?.({ started: true });
