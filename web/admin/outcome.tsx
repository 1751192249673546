import type { ApiError } from "../shared/http.js";

export type Note = { ok: boolean; text: string } | null;

/** A settings section's outcome line: the server's own message on a refusal, read out as an alert. */
export const Outcome = (props: { note: Note }) =>
  props.note && <p class={props.note.ok ? "ok" : "error"} role={props.note.ok ? "status" : "alert"}>{props.note.text}</p>;
export const failed = (e: unknown): Note => ({ ok: false, text: (e as ApiError).message });
