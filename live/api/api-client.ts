// A small client of the node API for the launcher, `ssms cluster status`, the chaos controller
// and tests: one request with the cluster secret, JSON in and out, a deadline, and the answer as
// a value (a refused connection is an answer too: the node is down).

export type ApiAnswer = { readonly status: number; readonly body: unknown };

export type ApiRequest = {
  readonly method?: "GET" | "POST";
  readonly body?: unknown;
  /** Omit to send no Authorization header (tests of the refusal). */
  readonly secret?: string;
  readonly timeoutMs?: number;
};

/** Calls `http://host:port{path}`; status 0 with the reason when the node cannot be reached. */
export async function apiCall(host: string, port: number, path: string, request: ApiRequest = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (request.secret !== undefined) headers["authorization"] = `Bearer ${request.secret}`;
  if (request.body !== undefined) headers["content-type"] = "application/json";
  const hostText = host.includes(":") ? `[${host}]` : host;
  try {
    const response = await fetch(`http://${hostText}:${port}${path}`, {
      method: request.method ?? (request.body === undefined ? "GET" : "POST"),
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(request.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    const type = response.headers.get("content-type") ?? "";
    return { status: response.status, body: type.includes("json") && text.length > 0 ? JSON.parse(text) as unknown : text };
  } catch (error) {
    return { status: 0, body: (error as Error).message };
  }
}
