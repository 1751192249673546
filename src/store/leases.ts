import type { Store } from "./db.js";

/**
 * Takes or renews the named lease for `holder` until `now + ms`. False while another holder's
 * lease runs: work that one node should do at a time (the SQLite outbox drain, the scheduled
 * bridging refit) checks this first. A holder that dies loses the lease when it runs out.
 * The rows live in `outbox_leases`, named for their first user.
 */
export async function takeLease(store: Store, lease: { name: string; holder: string; now: number; ms: number }): Promise<boolean> {
  const { name, holder, now, ms } = lease;
  await store.db
    .insertInto("outbox_leases")
    .values({ name, holder: null, expires_at: 0 })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const taken = await store.db
    .updateTable("outbox_leases")
    .set({ holder, expires_at: now + ms })
    .where("name", "=", name)
    .where((eb) => eb.or([eb("holder", "=", holder), eb("holder", "is", null), eb("expires_at", "<=", now)]))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) > 0;
}
