import type { Deps } from "../deps.js";
import { listSites } from "../site/service.js";
import type { Actor } from "./actor.js";
import { can, installation, siteSubject } from "./policies.js";

/**
 * What the caller may do, computed from the same rules the handlers check, so the
 * widget and the moderator's desk show exactly the controls that will work.
 */
export async function abilitiesOf(deps: Deps, actor: Actor) {
  const sites = await listSites(deps);
  const where = (action: "moderate" | "administer" | "feature") =>
    sites.filter((s) => can(actor, action, siteSubject(s.id))).map((s) => s.id);
  return {
    comment: actor.user.status !== "banned",
    moderate: where("moderate"),
    administer: where("administer"),
    feature: where("feature"),
    manageSites: can(actor, "manageSites", installation),
    importComments: can(actor, "importComments", installation),
    exportOwnData: true,
    deleteOwnAccount: true,
  };
}
