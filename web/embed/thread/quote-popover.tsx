import { useEffect, useState } from "preact/hooks";
import type { Translate } from "../../shared/messages.js";
import { type Selected, currentSelection, firstParagraph } from "./quote.js";

export type QuoteRequest = Selected | { source: "comment"; commentId: string; text: string };

/**
 * The reader's current text selection in the article or a comment, and a comment's own Quote
 * button (its selection, or its first paragraph when nothing is selected).
 */
export function useQuotePopover(root: ShadowRoot, onQuote: (q: QuoteRequest) => void) {
  const [selected, setSelected] = useState<Selected | null>(null);
  useEffect(() => {
    let timer = 0;
    const check = () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => setSelected(currentSelection(root)), 120);
    };
    document.addEventListener("selectionchange", check);
    return () => document.removeEventListener("selectionchange", check);
  }, []);
  useEffect(() => {
    const listener = (e: Event) => {
      const id = (e as CustomEvent<string>).detail;
      const sel = currentSelection(root);
      const text = sel?.source === "comment" && sel.commentId === id ? sel.text : firstParagraph(root, id);
      if (text) onQuote({ source: "comment", commentId: id, text });
    };
    root.addEventListener("parley-quote", listener);
    return () => root.removeEventListener("parley-quote", listener);
  });
  return { selected, clear: () => setSelected(null) };
}

/** The Quote button floating by a selection. */
export function QuotePopover({ t, selected, onQuote }: { t: Translate; selected: Selected; onQuote(q: Selected): void }) {
  return (
    <button
      type="button"
      class="p-btn p-primary p-quote-pop"
      style={{
        top: `${Math.max(8, Math.min(selected.rect.bottom + 8, innerHeight - 48))}px`,
        left: `${Math.max(8, Math.min(selected.rect.left, innerWidth - 120))}px`,
      }}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onQuote(selected)}
      aria-label={t("quoteSelection")}
    >
      {t("quote")}
    </button>
  );
}
