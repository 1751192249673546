import { checkedBody } from "../../comments/text.js";
import type { Phase } from "./types.js";

/** Normalises the text and refuses empty and over-long comments. */
export const text: Phase = ({ deps, body }) => ({ body: checkedBody(body, deps.config.maxCommentLength) });
