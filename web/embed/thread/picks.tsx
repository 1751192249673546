import type { Translate } from "../../shared/messages.js";
import type { Comment } from "../../shared/types.js";

/** The editors' picks above the thread, each with a link to its place in it. */
export function PicksStrip({ t, picks }: { t: Translate; picks: Comment[] }) {
  return (
    <section class="p-picks" aria-labelledby="p-picks-title">
      <h3 class="p-picks-title" id="p-picks-title">
        {t("picks")}
      </h3>
      <ol class="p-picks-list">
        {picks.map((c) => (
          <li key={c.id} class="p-pick-item">
            <span class="p-badge p-pick">{t("pickBadge")}</span> <strong>{c.author.displayName}</strong>
            <div class="p-body" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
            <a class="p-more" href={`#comment-${c.id}`}>
              {t("permalink")}
            </a>
          </li>
        ))}
      </ol>
    </section>
  );
}
