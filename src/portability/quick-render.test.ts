import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { allowlistViolations } from "../../test/security/allowlist.js";
import { corporaSkip, hostileStrings } from "../../test/security/corpora.js";
import { renderMarkdown } from "../comments/render.js";
import { importedBody } from "./html.js";
import { quickRender, renderImportedAll } from "./quick-render.js";

/**
 * The quick renderer must give exactly what renderMarkdown() gives, or give up. These
 * properties build their input from pieces chosen to meet its edge cases: emphasis next to
 * punctuation, escapes next to URLs, bare domains and addresses, lists and quotes it leaves
 * to markdown-it. QUICK_RENDER_RUNS widens a run.
 */
const RUNS = Number(process.env.QUICK_RENDER_RUNS) || 4000;

const PIECES = [
  "a", "word", "é", "中", "1", "2.", " ", "  ", "\n", "\n\n", "*", "**", "\\", "\\*", "\\&", "\\[", "\\]", "\\\\", "[", "]",
  "(", ")", "_", "&", "<", ">", "#", "-", "+", "!", ":", "//", "http://", "https://news.example/a_b", "www.example.org",
  "example.com", "reader@example.com", "mailto:", "`", "~", "\u00a0", "👩\u200d💻", "\t", ".", ",", "'", '"', "?", "«", "»", "—",
  "€", "\u0000", "HTTP://EXAMPLE.COM", "xn--d1acufc.xn--p1ai", "[x](https://news.example/)", "[y](/relative)", "**bold**", "*em*",
];
const markdownish = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((parts) => parts.join(""));

const TAGS = ["p", "div", "br", "b", "strong", "i", "em", "a", "code", "pre", "blockquote", "ul", "li", "span", "script"];
const HREFS = ["https://news.example/x", "/relative", "javascript:alert(1)", "mailto:reader@example.com", "http://a.example/(x) y", "https://a.example/?a=1&amp;b=2", "https://a.example/a_b*c", " https://a.example/ "];
const htmlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(...PIECES),
      fc.constantFrom(...TAGS).map((t) => `<${t}>`),
      fc.constantFrom(...TAGS).map((t) => `</${t}>`),
      fc.constantFrom(...HREFS).map((h) => `<a href="${h}">`),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(""));

describe("the importer's quick renderer", () => {
  it("gives renderMarkdown()'s HTML for generated Markdown, or gives up", () => {
    let quick = 0;
    fc.assert(
      fc.property(markdownish, (source) => {
        const html = quickRender(source);
        if (html === null) return;
        quick += 1;
        assert.equal(html, renderMarkdown(source), JSON.stringify(source));
      }),
      { numRuns: RUNS, seed: 20261125 },
    );
    assert.ok(quick > RUNS / 5, `the quick path was taken ${quick} times in ${RUNS}`);
  });

  it("stores, for generated imported HTML, only allowlisted HTML, the same renderMarkdown() gives for the stored source", () => {
    let quick = 0;
    fc.assert(
      fc.property(htmlish, (html) => {
        const { body, bodyHtml } = importedBody(html);
        if (quickRender(body) !== null) quick += 1;
        assert.equal(bodyHtml, renderMarkdown(body), JSON.stringify(html));
        assert.deepEqual(allowlistViolations(bodyHtml), [], JSON.stringify(html));
      }),
      { numRuns: RUNS, seed: 20261125 },
    );
    assert.ok(quick > RUNS / 5, `the quick path was taken ${quick} times in ${RUNS}`);
  });

  it("renders a batch, sanitized in groups, exactly as each source alone", () => {
    fc.assert(
      fc.property(fc.array(markdownish, { maxLength: 60 }), (sources) => {
        assert.deepEqual(renderImportedAll(sources), sources.map(renderMarkdown));
      }),
      { numRuns: RUNS / 20, seed: 20261125 },
    );
  });

  it("takes the quick path for what exported comments mostly are", () => {
    const typical = [
      "<p>Comment 7: the council's decision on <b>the budget</b> was right.</p><p>See https://news.example/source-7</p>",
      "Plain text from WordPress,\nwith a line break and an address: reader@example.com",
      '<p>Read <a href="https://news.example/story?id=3&amp;page=2">the story</a>, <i>then</i> answer.</p>',
      "<p>Prices rose 3.5% &amp; wages didn't *at all* [sic] \\o/</p><p><br></p><p>www.example.org says so.</p>",
    ];
    for (const html of typical) {
      const { body, bodyHtml } = importedBody(html);
      assert.notEqual(quickRender(body), null, body);
      assert.equal(bodyHtml, renderMarkdown(body));
    }
  });

  it("leaves lists, quotes and code to markdown-it", () => {
    for (const source of ["- one\n- two", "> quoted", "`code`", "1. first", "a **b*** c"]) assert.equal(quickRender(source), null, source);
  });

  it("renders the hostile corpora as renderMarkdown() does, within the allowlist", { skip: corporaSkip }, () => {
    for (const { source, text } of hostileStrings()) {
      const { body, bodyHtml } = importedBody(text.replace(/\u0000/g, ""));
      assert.equal(bodyHtml, renderMarkdown(body), `${source}: ${JSON.stringify(text).slice(0, 200)}`);
      assert.deepEqual(allowlistViolations(bodyHtml), [], `${source}: ${JSON.stringify(text).slice(0, 200)}`);
    }
  });
});
