import type { BuiltFile } from "./build-web.mjs";
export const ADMIN_BUDGET_GZIP: Record<"admin.js" | "admin.css", number>;
export function buildAdmin(options?: { outDir?: string }): Promise<{
  manifest: Record<string, string>;
  sizes: Record<"admin.js" | "admin.css", BuiltFile>;
}>;
