import type { Deps } from "../deps.js";
import { withEvents } from "../events/spine.js";
import { listSites } from "../site/service.js";
import { moderationSettings } from "./settings.js";
import { backlogState, clearBacklog, oldestPending, raiseBacklog } from "./store.js";

const MINUTE = 60_000;

/** What the dashboard shows of a site's backlog alert. */
export async function backlogOf(deps: Deps, siteId: string) {
  const [settings, raisedAt] = await Promise.all([moderationSettings(deps, siteId), backlogState(deps.store.read, siteId)]);
  return { alertMinutes: settings.backlogAlertMinutes, raisedAt: raisedAt === null ? null : new Date(raisedAt).toISOString() };
}

/**
 * The backlog alert of every site with `moderation.backlogAlertMinutes`: when its oldest pending
 * comment has waited longer, the alert is raised once (`moderation.backlog`: the admins' mail and
 * the webhook). It re-arms only after the backlog cleared: the queue emptied, or its oldest comment
 * waits under half the set minutes (so a queue hovering at the mark does not alert every minute).
 * Safe on several nodes: raising is one conditional update, and only its winner emits.
 */
export async function checkBacklogs(deps: Deps): Promise<{ raised: string[]; cleared: string[] }> {
  const now = deps.clock.now();
  const raised: string[] = [];
  const cleared: string[] = [];
  for (const site of await listSites(deps)) {
    const minutes = (await moderationSettings(deps, site.id)).backlogAlertMinutes;
    const { pending, oldest } = await oldestPending(deps.store.read, site.id);
    const waited = oldest === null ? 0 : now - oldest;
    if (minutes !== null && pending > 0 && oldest !== null && waited > minutes * MINUTE) {
      const won = await withEvents(deps, async (trx, emit) => {
        if (!(await raiseBacklog(trx, site.id, now))) return false;
        await emit(trx, { type: "moderation.backlog", siteId: site.id, oldestPendingAt: oldest, pending, minutes });
        return true;
      });
      if (won) raised.push(site.id);
    } else if (minutes === null || pending === 0 || waited < (minutes * MINUTE) / 2) {
      if (await clearBacklog(deps.store.db, site.id, now)) cleared.push(site.id);
    }
  }
  if (raised.length) deps.log.info({ sites: raised }, "moderation backlog alert raised");
  return { raised, cleared };
}
