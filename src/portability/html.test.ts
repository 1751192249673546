import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { keptHtml, markdownOfKept, plainHtml } from "./html.js";

/**
 * plainHtml() skips the sanitizer for simple HTML; what the converter makes of its output
 * must be exactly what it makes of the sanitizer's. The pieces meet its edge cases: case,
 * entities with and without a semicolon, attributes it drops or refuses, bad nesting,
 * schemes, stray angle brackets. PLAIN_HTML_RUNS widens a run.
 */
const RUNS = Number(process.env.PLAIN_HTML_RUNS) || 5000;

const TEXT = ["a", "word ", " ", "\n", "é", "*", "\\", "_", "[x]", "1.", "-", "#", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x27;",
  "&AMP;", "&copy", "&nbsp;", "& ", "&", "&#60;", "'", '"', ">", "< b", "https://news.example/x", "`"];
const TAGS = ["p", "P", "div", "br", "b", "strong", "i", "EM", "em", "a", "span", "code", "li", "script"];
const HREFS = ["https://news.example/a?b=1&amp;c=2", "http://x.example/(y)", "mailto:reader@example.com", "javascript:alert(1)", "/relative",
  "HTTPS://X.EXAMPLE", "https://x.example/&copy", "", "http:", " https://x.example"];
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TEXT) },
  { weight: 2, arbitrary: fc.constantFrom(...TAGS).map((t) => `<${t}>`) },
  { weight: 2, arbitrary: fc.constantFrom(...TAGS).map((t) => `</${t}>`) },
  { weight: 1, arbitrary: fc.constantFrom("<br/>", "<br />", "<BR>", "</br>", "<b/>", "<!-- c -->", "<b class=\"x\">", "<p >") },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...HREFS), fc.constantFrom("", ' rel="nofollow noopener"', ' title="t &amp; u"', ' target="_blank"', ' onclick="x"', " href=\"https://dup.example\"", " rel='x'"))
      .map(([href, extra]) => `<a href="${href}"${extra}>`),
  },
);
const html = fc.array(piece, { maxLength: 25 }).map((parts) => parts.join(""));

describe("plain HTML without the sanitizer", () => {
  it("converts to the Markdown the sanitized HTML converts to", () => {
    let plain = 0;
    fc.assert(
      fc.property(html, (source) => {
        const quick = plainHtml(source);
        if (quick === null) return;
        plain += 1;
        assert.equal(markdownOfKept(quick), markdownOfKept(keptHtml(source)), JSON.stringify(source));
      }),
      { numRuns: RUNS, seed: 20261125 },
    );
    assert.ok(plain > RUNS / 10, `the plain path was taken ${plain} times in ${RUNS}`);
  });

  it("takes the plain path for the HTML Disqus exports", () => {
    const disqus = '<p>Read <a href="http://blogs.example/b8/archive" rel="nofollow noopener" title="http://blogs.example/b8/archive">this</a>,<br>then <b>answer</b> &amp; <i>quote</i>.</p><p>It&#39;s fine.</p>';
    assert.equal(plainHtml(disqus), '<p>Read <a href="http://blogs.example/b8/archive">this</a>,<br />then <b>answer</b> &amp; <i>quote</i>.</p><p>It&#39;s fine.</p>');
    for (const refused of ['<a href="javascript:alert(1)">x</a>', "<p><p>x</p></p>", "<b>x", "x &copy y", "<span>x</span>", "a < b"]) {
      assert.equal(plainHtml(refused), null, refused);
    }
  });
});
