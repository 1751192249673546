/** The widget's view of the API: the shapes shared with the server through src/shared. */
export * from "../../src/shared/thread.js";
export { ErrorCodes } from "../../src/shared/codes.js";
export type { ErrorBody, ErrorCode } from "../../src/shared/codes.js";
export { commentGate, type CommentGate } from "../../src/shared/policy.js";
