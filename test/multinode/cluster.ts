/**
 * Real processes for the multi-node test: Parley nodes started as an operator starts them
 * (`node --import tsx src/main.ts` with environment variables) and nginx with the site
 * configuration that docs/SCALING.md quotes. Everything listens on 127.0.0.1; every process
 * is stopped by the PID this module started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../ports.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const TEMPLATE = join(ROOT, "test", "multinode", "nginx.conf.template");
export const NGINX = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"].find((p) => existsSync(p));


export interface Managed {
  name: string;
  pid: number;
  base: string;
  /** What the process wrote to stderr (the last 4 KB), for failure messages. */
  stderr(): string;
  exited: Promise<number | null>;
  /** SIGKILL: a node that crashes, not one that shuts down. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function manage(name: string, child: ChildProcess, base: string): Managed {
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString("utf8")).slice(-4096);
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const pid = child.pid;
    if (pid === undefined) return;
    process.kill(pid, sig);
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, "SIGKILL");
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    name,
    pid: child.pid ?? 0,
    base,
    stderr: () => errors,
    exited,
    kill: () => signal("SIGKILL"),
    stop: () => signal("SIGTERM"),
  };
}

/** Polls `url` until it answers 200, the process exits, or `ms` pass. */
async function ready(process: Managed, url: string, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  let gone = false;
  void process.exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${process.name} did not become ready at ${url}${gone ? " (it exited)" : ""}: ${process.stderr()}`);
}

/** One Parley node, configured only through its environment, as in production. */
export async function startNode(name: string, env: Record<string, string>): Promise<Managed> {
  const port = await freePort();
  // One process per node, as before PARLEY_WORKERS (whose default is the machine's cores).
  const childEnv: Record<string, string | undefined> = { ...process.env, PARLEY_WORKERS: "1", ...env, PORT: String(port), HOST: "127.0.0.1" };
  // The node is not a test file: it must not think it runs under the test runner.
  delete childEnv.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const node = manage(name, child, `http://127.0.0.1:${port}`);
  try {
    await ready(node, `${node.base}/readyz`);
  } catch (error) {
    await node.stop();
    throw error;
  }
  return node;
}

/** The site configuration of the template with this machine's nodes and address filled in. */
export function siteConfig(template: string, options: { listen: string; nodes: string[] }): string {
  const upstreams = /^( *)server \S+:\d+;\n(?:\1server \S+:\d+;\n)*/m;
  const listen = /^( *)listen 80;$/m;
  if (!upstreams.test(template) || !listen.test(template)) {
    throw new Error("nginx.conf.template no longer has the upstream servers and `listen 80;` the test fills in");
  }
  return template
    .replace(upstreams, (_all, indent: string) => options.nodes.map((n) => `${indent}server ${n};\n`).join(""))
    .replace(listen, (_all, indent: string) => `${indent}listen ${options.listen};`);
}

/**
 * nginx in the foreground with everything under `dir`: its own pid file, logs and temporary
 * files, so it touches nothing of a system nginx.
 */
export async function startNginx(dir: string, nodes: string[]): Promise<Managed> {
  if (!NGINX) throw new Error("nginx is not installed");
  const port = await freePort();
  mkdirSync(join(dir, "logs"), { recursive: true });
  mkdirSync(join(dir, "tmp"), { recursive: true });
  writeFileSync(join(dir, "parley.conf"), siteConfig(readFileSync(TEMPLATE, "utf8"), { listen: `127.0.0.1:${port}`, nodes }));
  writeFileSync(
    join(dir, "nginx.conf"),
    [
      "daemon off;",
      "worker_processes 1;",
      `pid ${join(dir, "nginx.pid")};`,
      `error_log ${join(dir, "logs", "error.log")} warn;`,
      "events { worker_connections 1024; }",
      "http {",
      `    access_log ${join(dir, "logs", "access.log")};`,
      `    client_body_temp_path ${join(dir, "tmp", "body")};`,
      `    proxy_temp_path ${join(dir, "tmp", "proxy")};`,
      `    include ${join(dir, "parley.conf")};`,
      "}",
      "",
    ].join("\n"),
  );
  const child = spawn(NGINX, ["-c", join(dir, "nginx.conf"), "-p", dir, "-e", join(dir, "logs", "error.log")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const nginx = manage("nginx", child, `http://127.0.0.1:${port}`);
  try {
    await ready(nginx, `${nginx.base}/healthz`, 15_000);
  } catch (error) {
    await nginx.stop();
    const log = existsSync(join(dir, "logs", "error.log")) ? readFileSync(join(dir, "logs", "error.log"), "utf8") : "";
    throw new Error(`${(error as Error).message}\n${log.slice(-2000)}`);
  }
  return nginx;
}
