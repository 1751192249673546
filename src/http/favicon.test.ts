import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type TestApp, testApp } from "../../test/helpers.js";

describe("the favicon", () => {
  let t: TestApp;
  before(async () => (t = await testApp("sqlite")));
  after(() => t.close());

  it("answers /favicon.ico with an icon browsers can cache, instead of a 404 on every page", async () => {
    const res = await t.app.inject({ method: "GET", url: "/favicon.ico" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-type"], "image/x-icon");
    assert.match(String(res.headers["cache-control"]), /max-age=\d+/);
    const ico = res.rawPayload;
    assert.deepEqual(
      [ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)],
      [0, 1, 1],
      "an ICO with one image",
    );
    assert.equal(ico.readUInt32LE(14) + ico.readUInt32LE(18), ico.length, "the image fills the file");
  });

  it("offers the same picture as SVG", async () => {
    const res = await t.app.inject({ method: "GET", url: "/favicon.svg" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-type"], "image/svg+xml");
    assert.match(res.body, /^<svg /);
  });
});
