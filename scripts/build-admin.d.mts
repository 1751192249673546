import type { BuiltFile } from "./build-web.mjs";
export const ADMIN_BUDGET_GZIP: Record<"admin.js" | "admin.css", number>;
export function buildAdmin(options?: { outDir?: string }): Promise<{
  manifest: Record<string, string>;
  /** admin.js: what the first view loads (entry and its static chunks); the admins' pages load later. */
  sizes: Record<"admin.js" | "admin.css" | "admin views loaded when opened", BuiltFile>;
}>;
