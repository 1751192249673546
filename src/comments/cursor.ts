import { badRequest } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";

export type Sort = "newest" | "oldest" | "top" | "best" | "featured" | "answered";

/** The position after the last item of a page: the sort keys of that item. */
export type Position =
  | { sort: "newest" | "oldest" | "replies"; createdAt: number; id: string }
  | { sort: "top"; reactionCount: number; createdAt: number; id: string }
  | { sort: "best"; rank: number; createdAt: number; id: string }
  | { sort: "featured"; featuredAt: number; createdAt: number; id: string }
  | { sort: "answered"; answeredAt: number; createdAt: number; id: string };

export function encodeCursor(position: Position): string {
  const values =
    position.sort === "top"
      ? [position.sort, position.reactionCount, position.createdAt, position.id]
      : position.sort === "best"
        ? [position.sort, position.rank, position.createdAt, position.id]
        : position.sort === "featured"
          ? [position.sort, position.featuredAt, position.createdAt, position.id]
          : position.sort === "answered"
            ? [position.sort, position.answeredAt, position.createdAt, position.id]
          : [position.sort, position.createdAt, position.id];
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

const invalid = () =>
  badRequest(ErrorCodes.INVALID_CURSOR, "The cursor is not valid for this list; start again from the first page.");
const isInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 64;

/** Decodes a cursor and checks it belongs to the list being read; anything else is a 400. */
export function decodeCursor(cursor: string, sort: Position["sort"]): Position {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalid();
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(values) || values[0] !== sort) throw invalid();
  if (sort === "top") {
    const [, reactionCount, createdAt, id] = values;
    if (values.length !== 4 || !isInt(reactionCount) || !isInt(createdAt) || !isId(id)) throw invalid();
    return { sort, reactionCount, createdAt, id };
  }
  if (sort === "best") {
    const [, rank, createdAt, id] = values;
    if (values.length !== 4 || typeof rank !== "number" || !Number.isFinite(rank) || !isInt(createdAt) || !isId(id))
      throw invalid();
    return { sort, rank, createdAt, id };
  }
  if (sort === "featured") {
    const [, featuredAt, createdAt, id] = values;
    if (values.length !== 4 || !isInt(featuredAt) || !isInt(createdAt) || !isId(id)) throw invalid();
    return { sort, featuredAt, createdAt, id };
  }
  if (sort === "answered") {
    const [, answeredAt, createdAt, id] = values;
    if (values.length !== 4 || !isInt(answeredAt) || !isInt(createdAt) || !isId(id)) throw invalid();
    return { sort, answeredAt, createdAt, id };
  }
  const [, createdAt, id] = values;
  if (values.length !== 3 || !isInt(createdAt) || !isId(id)) throw invalid();
  return { sort, createdAt, id };
}
