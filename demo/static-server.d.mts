/** Serves `dir` on 127.0.0.1 (port 0 = a free one). */
export function startStaticServer(
  dir: string, options?: { port?: number; isolated?: boolean },
): Promise<{ url: string; close(): Promise<void> }>
