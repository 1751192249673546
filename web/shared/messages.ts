/** The reader-facing strings and time formats, shared with the server-rendered thread. */
export * from "../../src/shared/messages/index.js";
export { exactTime, relativeTime } from "../../src/shared/messages/time.js";
