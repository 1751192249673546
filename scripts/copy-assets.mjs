// Copies the non-TypeScript files the compiled server loads at run time into dist/.
import { cpSync } from "node:fs";

cpSync("src/classifier/model", "dist/src/classifier/model", { recursive: true });
cpSync("src/accounts/data", "dist/src/accounts/data", { recursive: true });
