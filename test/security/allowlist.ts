import { Parser } from "htmlparser2";

/**
 * The allowlist every piece of rendered comment HTML must pass, walked with htmlparser2 (the
 * parser sanitize-html itself uses). It is written independently of src/comments/render.ts,
 * so a change there that loosens the sanitizer fails here.
 */
const ALLOWED: Record<string, readonly string[]> = {
  p: [],
  br: [],
  em: [],
  strong: [],
  a: ["href", "rel"],
  blockquote: ["class"],
  ul: [],
  ol: ["start"],
  li: [],
  code: [],
  footer: ["class"],
  cite: [],
};
const CLASSES: Record<string, readonly string[]> = { blockquote: ["parley-quote"], footer: ["parley-quote-source"] };
const SCHEMES = new Set(["http:", "https:", "mailto:"]);

/** Browsers ignore these in a URL's scheme: `java\tscript:` is `javascript:`. */
const strip = (url: string) => url.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");

/** A URL is allowed when its scheme parses to http, https or mailto: never relative, never protocol-relative. */
export function urlAllowed(raw: string): boolean {
  const url = strip(raw);
  if (url.startsWith("//")) return false;
  try {
    return SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Every way the HTML breaks the allowlist; empty when it passes. */
export function allowlistViolations(html: string): string[] {
  const problems: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const allowed = ALLOWED[name];
        if (!allowed) {
          problems.push(`tag <${name}>`);
          return;
        }
        for (const [attr, value] of Object.entries(attribs)) {
          if (!allowed.includes(attr)) problems.push(`attribute ${attr} on <${name}>`);
          if (/^on/i.test(attr)) problems.push(`event handler ${attr}`);
          if (attr === "style") problems.push("style attribute");
          if (attr === "href" && !urlAllowed(value)) problems.push(`href ${JSON.stringify(value)}`);
          if (attr === "class" && !value.split(/\s+/).every((c) => CLASSES[name]?.includes(c))) {
            problems.push(`class ${JSON.stringify(value)} on <${name}>`);
          }
          if (attr === "rel" && value !== "nofollow ugc noopener") problems.push(`rel ${JSON.stringify(value)}`);
          if (attr === "start" && !/^\d{1,9}$/.test(value)) problems.push(`start ${JSON.stringify(value)}`);
        }
      },
      onprocessinginstruction(name) {
        problems.push(`processing instruction ${name}`);
      },
      oncomment() {
        problems.push("HTML comment");
      },
      oncdatastart() {
        problems.push("CDATA section");
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  );
  parser.write(html);
  parser.end();
  return problems;
}
