export interface BuiltFile {
  file: string;
  bytes: number;
  gzip: number;
  brotli: number;
}
export function buildWeb(options?: { outDir?: string }): Promise<{
  manifest: Record<string, string>;
  sizes: Record<string, BuiltFile>;
}>;
