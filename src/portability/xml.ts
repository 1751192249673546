import { SaxesParser } from "saxes";
import type { ImportReport } from "./report.js";
import type { TextSource } from "./source.js";

/** One element of a record, with its text and child elements. Names keep their prefix. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
}

/** A record (a Disqus `<post>`, a WXR `<wp:comment>`) and the records it sits inside. */
export interface XmlRecord {
  node: XmlNode;
  ancestors: XmlNode[];
}

/** The name without its namespace prefix: `wp:comment` → `comment`. */
export const localName = (name: string) => name.slice(name.indexOf(":") + 1);

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => localName(c.name) === name);
}

/** The trimmed text of a child element; "" when it is missing or empty. */
export function textOf(node: XmlNode | undefined, name: string): string {
  return child(node, name)?.text.trim() ?? "";
}

/** An attribute by local name (`dsq:id` → `id`), whatever prefix the file used. */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  if (!node) return undefined;
  for (const [key, value] of Object.entries(node.attrs)) if (localName(key) === name) return value;
  return undefined;
}

/**
 * Streams the records of an XML export, one chunk at a time, so memory holds one chunk
 * and the records it completes, never the file. saxes neither reads a DTD nor resolves
 * an entity it does not know: `&xxe;` stays literal text, so no external entity is ever
 * fetched (XXE) and no entity expands (billion laughs). Damage is counted and skipped:
 * bytes before `<?xml`, an unquoted attribute, a stray closing tag.
 */
export async function* xmlRecords(
  source: TextSource,
  options: {
    records: ReadonlySet<string>;
    /** Also keep a record found inside another as the outer one's child (Disqus: `<post><thread dsq:id/>`). */
    nestedAsChildren?: boolean;
    ignoreText?: ReadonlySet<string>;
    report: ImportReport;
  },
): AsyncGenerator<XmlRecord> {
  const { records, report } = options;
  const ignoreText = options.ignoreText ?? new Set<string>();
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: { node: XmlNode | null; record: boolean; keepText: boolean }[] = [];
  const done: XmlRecord[] = [];

  parser.on("error", (error) => report.problem("XML errors (reading went on)", error.message));
  parser.on("doctype", () => report.problem("DOCTYPE ignored (its entities are never resolved)"));
  parser.on("opentag", (tag) => {
    const name = localName(tag.name);
    const parent = stack[stack.length - 1];
    const attrs: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes)) attrs[key] = String(value);
    if (records.has(name)) {
      const node: XmlNode = { name: tag.name, attrs, text: "", children: [] };
      if (options.nestedAsChildren && parent?.node) parent.node.children.push(node);
      stack.push({ node, record: true, keepText: true });
    } else if (parent?.node) {
      const node: XmlNode = { name: tag.name, attrs, text: "", children: [] };
      parent.node.children.push(node);
      stack.push({ node, record: false, keepText: parent.keepText && !ignoreText.has(name) });
    } else {
      stack.push({ node: null, record: false, keepText: false });
    }
  });
  const addText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top?.node && top.keepText) top.node.text += text;
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.on("closetag", () => {
    const top = stack.pop();
    if (!top?.record || !top.node) return;
    const ancestors = stack.filter((s) => s.record && s.node).map((s) => s.node as XmlNode);
    done.push({ node: top.node, ancestors });
  });

  let started = false;
  for await (let text of source.chunks()) {
    if (!started) {
      const at = text.indexOf("<");
      if (at === -1) {
        if (text.trim()) report.problem("stray bytes before <?xml (ignored)");
        continue;
      }
      if (text.slice(0, at).replace(/^\uFEFF/, "")) report.problem("stray bytes before <?xml (ignored)");
      text = text.slice(at);
      started = true;
    }
    parser.write(text);
    while (done.length) {
      const record = done.shift() as XmlRecord;
      source.records += 1;
      yield record;
    }
  }
  parser.close();
  yield* done.splice(0);
  const open = stack.filter((s) => s.record).length;
  if (open) report.problem("records left open by damage (dropped)", `${open} at the end of the file`);
}
