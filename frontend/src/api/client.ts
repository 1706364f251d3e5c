/** Calls control-api with the signed-in token; errors become readable messages. */

const TOKEN_KEY = 'mooli.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null) {
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** An answer other than 2xx, with the problem detail's text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called when the API refuses the token, so the app can ask for another. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void) {
  onUnauthorized = handler;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const token = init.token ?? storedToken();
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        Accept: 'application/json',
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'The controller cannot be reached. Check your connection and try again.');
  }
  if (response.status === 401 && !init.token) {
    onUnauthorized();
  }
  if (!response.ok) {
    throw new ApiError(response.status, await problem(response));
  }
  if (response.status === 204) {
    return undefined as T;
  }
  return (await response.json()) as T;
}

async function problem(response: Response): Promise<string> {
  const fallback: Record<number, string> = {
    401: 'Your token was not accepted. Sign in again.',
    403: 'Your role may not do this.',
    404: 'Not found.',
    409: 'This conflicts with the current state.',
  };
  try {
    const body = (await response.json()) as { detail?: string; title?: string };
    if (body.detail) return body.detail;
    if (fallback[response.status]) return fallback[response.status];
    if (body.title) return body.title;
  } catch {
    // not a problem document
  }
  return fallback[response.status] ?? `The controller answered ${response.status}.`;
}

/** A query string of the defined, non-empty parameters. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const defined = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return defined.length ? '?' + new URLSearchParams(defined.map(([k, v]) => [k, String(v)])).toString() : '';
}
