import { parseArgs } from "node:util";
import { createUser } from "../accounts/service.js";
import { recordRoleGrant, rolesToReview } from "../accounts/role-grants.js";
import type { Role } from "../store/schema.js";
import { loadConfig } from "../config.js";
import { makeDeps } from "../runtime.js";
import type { Deps } from "../deps.js";
import { openStore } from "../store/db.js";
import { migrateToLatest } from "../store/migrations.js";
import { ensureDefaultSite } from "../site/service.js";
import { PORTABILITY_USAGE, runPortability } from "../portability/cli.js";
import type { Kysely } from "kysely";
import pino from "pino";

const USAGE = `Usage: parley <command> [options]

Commands:
  migrate                                  apply database migrations
  users create --email E --password P [--name N] [--role admin|moderator|staff|commenter]
                                           create a local account (a role is written to the audit log)
  users review-roles                       list accounts holding a role that no admin, command or
                                           signed sign-in granted (the audit log has no grant)
  users confirm-role --id ID               record that you checked that account's role and keep it
${PORTABILITY_USAGE}
  help                                     show this text

The database is DATABASE_URL (default: sqlite file ./data/parley.db).`;

async function withDeps<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openStore(config.databaseUrl, { migrate: false });
  const { deps, redis } = await makeDeps({ config, store, log: pino({ level: "warn" }) });
  try {
    return await work(deps);
  } finally {
    await redis?.quit();
    await store.close();
  }
}

const defaultName = (email: string, role: string) => {
  const local = email.split("@")[0];
  return local.length >= 2 ? local.slice(0, 40) : role;
};

const ROLES = ["commenter", "staff", "moderator", "admin"] as const;

export async function run(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    out(USAGE);
    return command ? 0 : 2;
  }
  const portability = await runPortability(argv, { out });
  if (portability !== undefined) return portability;
  if (command === "migrate") {
    const applied = await withDeps(async (deps) => {
      const names = await migrateToLatest(deps.store.db as Kysely<unknown>, deps.store.schema);
      await ensureDefaultSite(deps);
      return names;
    });
    out(applied.length ? `applied: ${applied.join(", ")}` : "the database is up to date");
    return 0;
  }
  if (command === "users" && sub === "create") {
    const { values } = parseArgs({
      args: rest,
      options: {
        email: { type: "string" },
        password: { type: "string" },
        name: { type: "string" },
        role: { type: "string", default: "commenter" },
      },
    });
    const role = ROLES.find((r) => r === values.role);
    if (!values.email || !values.password || !role) {
      out(`users create needs --email, --password and a --role of ${ROLES.join(", ")}`);
      return 2;
    }
    const email = values.email;
    const password = values.password;
    const user = await withDeps(async (deps) => {
      await migrateToLatest(deps.store.db as Kysely<unknown>, deps.store.schema);
      await ensureDefaultSite(deps);
      return createUser(deps, { email, password, displayName: values.name ?? defaultName(email, role), role });
    });
    out(`created ${user.role} ${user.id}`);
    return 0;
  }
  if (command === "users" && sub === "review-roles") {
    const found = await withDeps((deps) => rolesToReview(deps));
    if (found.length === 0) {
      out("Every account's role has a recorded grant: nothing to review.");
      return 0;
    }
    out(`${found.length} role${found.length === 1 ? "" : "s"} without a recorded grant (check each; demote with your database tools or confirm with users confirm-role):`);
    for (const r of found) {
      const where = r.siteId ? `${r.role} of site ${r.siteId}` : r.role;
      out(`  ${r.id}  ${where.padEnd(24)} ${r.displayName} <${r.email ?? "no e-mail"}>, created ${new Date(r.createdAt).toISOString()}`);
    }
    return 1;
  }
  if (command === "users" && sub === "confirm-role") {
    const { values } = parseArgs({ args: rest, options: { id: { type: "string" } } });
    if (!values.id) {
      out("users confirm-role needs --id (see users review-roles)");
      return 2;
    }
    const id = values.id;
    const confirmed = await withDeps(async (deps) => {
      const user = (await rolesToReview(deps)).find((r) => r.id === id);
      if (!user) return false;
      await recordRoleGrant(deps, deps.store.db, { id, role: user.role as Role }, null, "confirmed from the command line after review");
      return true;
    });
    out(confirmed ? `confirmed the role of ${id}` : `${id} has no role to review`);
    return confirmed ? 0 : 1;
  }
  out(`unknown command: ${[command, sub].filter(Boolean).join(" ")}\n\n${USAGE}`);
  return 2;
}
