import { useState } from "preact/hooks";
import type { Translate } from "../../shared/messages.js";
import type { ThreadSort } from "./context.js";

const SORTS: [ThreadSort, "sortNewest" | "sortOldest" | "sortTop" | "sortBest" | "sortAnswered"][] = [
  ["newest", "sortNewest"],
  ["oldest", "sortOldest"],
  ["top", "sortTop"],
  ["best", "sortBest"],
];
/** A Q&A story offers its questions answered first. */
const QA_SORTS: typeof SORTS = [["answered", "sortAnswered"], ...SORTS];

/**
 * The sort switch. "Most helpful" is an order readers cannot see the reason for, so it comes
 * with a short explanation they can open.
 */
export function SortSwitch({ t, sort, onSort, qa }: { t: Translate; sort: ThreadSort; onSort(s: ThreadSort): void; qa?: boolean }) {
  const [why, setWhy] = useState(false);
  return (
    <>
      <div class="p-sort" role="group" aria-label={t("sortLabel")}>
        {(qa ? QA_SORTS : SORTS).map(([s, key]) => (
          <button key={s} type="button" class="p-sort-option" aria-pressed={s === sort} onClick={() => onSort(s)}>
            {t(key)}
          </button>
        ))}
      </div>
      {sort === "best" && (
        <div class="p-why">
          <button type="button" class="p-more" aria-expanded={why} aria-controls="p-why-text" onClick={() => setWhy(!why)}>
            {t("sortBestWhy")}
          </button>
          <p id="p-why-text" class="p-help" hidden={!why}>
            {t("sortBestExplained")}
          </p>
        </div>
      )}
    </>
  );
}
