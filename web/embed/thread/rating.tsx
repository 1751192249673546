import { useContext } from "preact/hooks";
import type { Comment } from "../../shared/types.js";
import { ApiError } from "./api.js";
import { Ctx, type Rating } from "./context.js";

const OPTIONS: [Rating, "helpful" | "notHelpful"][] = [
  ["helpful", "helpful"],
  ["not_helpful", "notHelpful"],
];

/**
 * "Helpful" / "Not helpful" for a signed-in reader on someone else's comment: the ratings
 * that drive the "Most helpful" order. Pressing the chosen one again takes the rating back.
 */
export function RateButtons({ comment }: { comment: Comment }) {
  const ctx = useContext(Ctx);
  const { t } = ctx;
  const current = ctx.ratings[comment.id];
  return (
    <span class="p-rate" role="group" aria-label={t("ratingLabel")}>
      {OPTIONS.map(([value, key]) => (
        <button
          key={value}
          type="button"
          class="p-action p-rate-option"
          aria-pressed={current === value}
          onClick={() =>
            void ctx.rate(comment, value).catch((e: unknown) => ctx.announce(e instanceof ApiError ? e.message : t("networkError")))
          }
        >
          {t(key)}
        </button>
      ))}
    </span>
  );
}
