import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { openSession, createUser } from "../src/accounts/service.js";
import * as accountStore from "../src/accounts/store.js";
import type { Role } from "../src/store/schema.js";
import { post, resolveStory } from "./helpers.js";

/** The callers every route is tried as; `siteModerator` moderates the default site only (the world's story's). */
export const ROLES = ["anonymous", "commenter", "otherCommenter", "staff", "otherSiteModerator", "siteModerator", "moderator", "admin"] as const;
export type MatrixRole = (typeof ROLES)[number];

export const OTHER_SITE = "other-site";

export interface World {
  tokens: Record<Exclude<MatrixRole, "anonymous">, string>;
  ids: Record<Exclude<MatrixRole, "anonymous">, string>;
  emails: Record<Exclude<MatrixRole, "anonymous">, string>;
  /** An open correction suggested by `commenter` on the story. */
  correctionId: string;
  storyId: string;
  /** A published comment by `commenter` on the default site. */
  commentId: string;
  /** A user nobody in the matrix is, for user-targeted routes. */
  bystanderId: string;
}

export const PASSWORD = "matrix password 1";

async function account(app: FastifyInstance, name: string, role: Role, siteRole?: { siteId: string; role: "moderator" | "admin" }) {
  const email = `${name.toLowerCase()}-${randomBytes(4).toString("hex")}@example.com`;
  const user = await createUser(app.deps, { email, password: PASSWORD, displayName: `${name} ${randomBytes(6).toString("hex")}`, role });
  if (siteRole) {
    await accountStore.setSiteRole(app.deps.store.db, { user_id: user.id, site_id: siteRole.siteId, role: siteRole.role, created_at: 0 });
  }
  const session = await openSession(app.deps, user, "password");
  return { id: user.id, token: session.token, email };
}

/** A fresh set of callers, a story and a published comment by `commenter`. */
export async function makeWorld(app: FastifyInstance): Promise<World> {
  const made = {
    commenter: await account(app, "Commenter", "commenter"),
    otherCommenter: await account(app, "Other", "commenter"),
    staff: await account(app, "Staff", "staff"),
    otherSiteModerator: await account(app, "Elsewhere", "commenter", { siteId: OTHER_SITE, role: "moderator" }),
    siteModerator: await account(app, "Sitemod", "commenter", { siteId: "default", role: "moderator" }),
    moderator: await account(app, "Moderator", "moderator"),
    admin: await account(app, "Admin", "admin"),
  };
  const bystander = await account(app, "Bystander", "commenter");
  const storyId = await resolveStory(app);
  const comment = await post(app, made.commenter.token, storyId, `A comment for the matrix ${randomBytes(4).toString("hex")}`);
  const pick = <K extends "token" | "id" | "email">(k: K) =>
    Object.fromEntries(Object.entries(made).map(([role, a]) => [role, a[k]])) as Record<Exclude<MatrixRole, "anonymous">, string>;
  const suggested = await app.inject({
    method: "POST",
    url: `/api/v1/stories/${storyId}/corrections`,
    headers: { authorization: `Bearer ${made.commenter.token}` },
    payload: { body: `A correction for the matrix ${randomBytes(4).toString("hex")}` },
  });
  const correctionId = (suggested.json() as { correction: { id: string } }).correction.id;
  return {
    tokens: pick("token"),
    ids: pick("id"),
    emails: pick("email"),
    storyId,
    commentId: comment.id,
    bystanderId: bystander.id,
    correctionId,
  };
}
