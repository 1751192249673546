// Enumeration timing: login with a wrong password vs an unknown e-mail, reset for a known vs an
// unknown address, at production argon2 parameters (19 MiB). Prints a table, writes JSON.
import { writeFileSync } from "node:fs";
import type { InjectOptions } from "fastify";
import { testApp } from "../test/helpers.js";

const t = await testApp("sqlite", { env: { PARLEY_PASSWORD_MEMORY_KIB: "19456" } });
const N = 20;
// One known account per attempt, so the per-account throttle (5 failures) never answers first.
for (let i = 0; i < N; i++) {
  await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email: `known${i}@example.com`, password: "a long enough password", displayName: "Known" } });
}
async function median(label: string, make: (i: number) => InjectOptions) {
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const started = performance.now();
    await t.app.inject(make(i));
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { label, medianMs: Number(times[N >> 1].toFixed(2)), p90Ms: Number(times[Math.floor(N * 0.9)].toFixed(2)) };
}
// Each login from its own address, so throttling never kicks in.
const rows = [
  await median("login, wrong password", (i) => ({ method: "POST", url: "/api/v1/auth/login", remoteAddress: `10.1.0.${i}`, payload: { email: `known${i}@example.com`, password: `wrong password ${i}` } })),
  await median("login, unknown e-mail", (i) => ({ method: "POST", url: "/api/v1/auth/login", remoteAddress: `10.2.0.${i}`, payload: { email: `nobody${i}@example.com`, password: "wrong password" } })),
  await median("signup, new e-mail", (i) => ({ method: "POST", url: "/api/v1/auth/signup", payload: { email: `new${i}@example.com`, password: "a long enough password", displayName: "New" } })),
  await median("signup, known e-mail", (i) => ({ method: "POST", url: "/api/v1/auth/signup", payload: { email: `known${i}@example.com`, password: "a long enough password", displayName: "Again" } })),
];
console.table(rows);
writeFileSync("bench/results/accounts.json", `${JSON.stringify({ at: new Date().toISOString(), n: N, rows }, null, 2)}\n`);
await t.close();
