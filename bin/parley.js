#!/usr/bin/env node
// The `parley` command: runs the compiled CLI (npm run build first).
import("../dist/src/cli/bin.js");
