import { useRef, useState } from "preact/hooks";
import { storyComments } from "../../shared/endpoints.js";
import type { Request } from "../../shared/http.js";
import type { Comment, Page } from "../../shared/types.js";
import type { ThreadSort } from "./context.js";
import { find, fresh, insert } from "./tree.js";

const PAGE = 20;

/**
 * The thread's comments: the first page in the chosen order, further pages, the reader's own
 * comments, and others' new comments waiting behind a button, so the thread never moves under
 * the reader's eyes.
 */
export function useComments(request: Request, storyId: string, first: Page<Comment>, firstSort: ThreadSort) {
  const [sort, setSort] = useState<ThreadSort>(firstSort);
  const [items, setItems] = useState<Comment[]>(first.items);
  const [cursor, setCursor] = useState(first.nextCursor);
  const [incoming, setIncoming] = useState<Comment[]>([]);
  const ref = useRef(items);
  ref.current = items;
  const posted = useRef<Comment[]>([]);

  const loadFirst = async (s: ThreadSort) => {
    const before = posted.current.length;
    const page = await storyComments(request, storyId, s, PAGE);
    // A comment the reader posted while this page was on its way is not lost when it lands.
    let list = page.items;
    for (const c of posted.current.slice(before)) if (!find(list, c.id) && (!c.parentId || find(list, c.parentId))) list = insert(list, c);
    setItems(list);
    setCursor(page.nextCursor);
    setIncoming([]);
  };
  const loadMore = async () => {
    const page = await storyComments(request, storyId, sort, PAGE, cursor);
    setItems((list) => [...list, ...fresh(list, page.items)]);
    setCursor(page.nextCursor);
  };
  const changeSort = (s: ThreadSort) => {
    setSort(s);
    return loadFirst(s);
  };
  /** Another reader's comment: waits behind the button unless the page holds it already. */
  const arrived = (c: Comment) => {
    if (find(ref.current, c.id)) return;
    setIncoming((list) => (list.some((i) => i.id === c.id) ? list : [...list, c]));
  };
  /** Places the waiting comments; answers how many there were. */
  const showIncoming = () => {
    let list = ref.current;
    for (const c of incoming) list = c.parentId ? (find(list, c.parentId) ? insert(list, c) : list) : [c, ...list];
    setItems(list);
    setIncoming([]);
    return incoming.length;
  };
  const added = (c: Comment) => {
    setItems((list) => insert(list, c));
    posted.current.push(c);
  };
  return { sort, items, setItems, ref, cursor, incoming, loadFirst, loadMore, changeSort, arrived, showIncoming, added, PAGE };
}
