import { createReadStream, statSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import type { Readable } from "node:stream";
import type { ImportProgress } from "./report.js";

/**
 * An import file read as UTF-8 text in 64 KiB chunks: memory stays bounded whatever its
 * size, and the byte count drives the progress bar.
 */
export class TextSource {
  bytesRead = 0;
  records = 0;

  constructor(
    private readonly stream: Readable,
    readonly totalBytes: number | null,
  ) {}

  static fromFile(path: string): TextSource {
    return new TextSource(createReadStream(path, { highWaterMark: 64 * 1024 }), statSync(path).size);
  }

  progress(): ImportProgress {
    return { bytesRead: this.bytesRead, totalBytes: this.totalBytes, records: this.records };
  }

  async *chunks(): AsyncGenerator<string> {
    const decoder = new StringDecoder("utf8");
    for await (const chunk of this.stream) {
      const bytes = chunk as Buffer;
      this.bytesRead += bytes.length;
      const text = decoder.write(bytes);
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }

  /** The file's lines, without their line ends; the last line need not end in a newline. */
  async *lines(): AsyncGenerator<string> {
    let pending = "";
    for await (const text of this.chunks()) {
      pending += text;
      let start = 0;
      for (let end = pending.indexOf("\n"); end !== -1; end = pending.indexOf("\n", start)) {
        yield pending.slice(start, end).replace(/\r$/, "");
        start = end + 1;
      }
      pending = pending.slice(start);
    }
    if (pending) yield pending.replace(/\r$/, "");
  }
}
