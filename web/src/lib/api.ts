// The one way the UI talks to the server: JSON over fetch with the session cookie, the CSRF token
// on every request that changes state, and every error turned into words.

import { errorText } from "./format";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let csrfToken = "";
let onSessionEnded: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Called once when a request that needed the session gets 401: the session ended (signed out
// elsewhere, expired, revoked, or the account was deactivated).
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

const kStatusWords: Record<number, string> = {
  400: "The request was not accepted",
  401: "You are not signed in",
  403: "You are not allowed to do this",
  404: "Not found",
  409: "This conflicts with the current state",
  412: "Someone changed this since you loaded it; reload and try again",
  413: "Too large",
  415: "The server does not accept this kind of content",
  429: "Too many attempts; wait and try again",
  500: "The server failed",
  503: "The server is busy or unavailable; try again shortly",
};

// What went wrong, in words, for a failed response.
async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  let code = `http_${response.status}`;
  let message = kStatusWords[response.status] ?? `The server answered ${response.status}`;
  try {
    body = await response.json();
    const error = (body as { error?: { code?: string; message?: string } }).error;
    if (error?.code) code = error.code;
    if (error?.message) message = error.message;
  } catch {
    // Not JSON (a proxy's page, a cut connection): keep the words for the status.
  }
  return new ApiError(response.status, code, message, body);
}

function headersFor(method: string, json: boolean): Headers {
  const headers = new Headers({ Accept: "application/json" });
  if (json) headers.set("Content-Type", "application/json");
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers.set("X-CSRF-Token", csrfToken);
  return headers;
}

function networkError(e: unknown): ApiError {
  return new ApiError(0, "network", `The server could not be reached (${errorText(e)})`);
}

function sessionCheck(response: Response, path: string): void {
  if (response.status === 401 && !path.startsWith("/api/v1/auth/")) onSessionEnded?.();
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  let response: Response;
  const headers = headersFor(method, body !== undefined);
  for (const [k, v] of Object.entries(extraHeaders)) headers.set(k, v);
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (e) {
    throw networkError(e);
  }
  sessionCheck(response, path);
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string) => request<T>("GET", path);
export const post = <T>(path: string, body?: unknown) => request<T>("POST", path, body);
export const patch = <T>(path: string, body: unknown) => request<T>("PATCH", path, body);
export const put = <T>(path: string, body: unknown, headers?: Record<string, string>) =>
  request<T>("PUT", path, body, headers);
export const del = <T>(path: string, headers?: Record<string, string>) =>
  request<T>("DELETE", path, undefined, headers);

// Builds "path?a=1&b=2" from the parameters that are set.
export function withQuery(path: string, params: Record<string, string | number | undefined | null>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export type Progress = (done: number, total: number | null) => void;

// Sends a file as the raw request body, reporting upload progress (fetch cannot).
export function upload<T>(
  method: string,
  path: string,
  file: Blob,
  contentType: string,
  onProgress: Progress,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Content-Type", contentType || "application/octet-stream");
    if (csrfToken) xhr.setRequestHeader("X-CSRF-Token", csrfToken);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : null);
    xhr.onerror = () => reject(new ApiError(0, "network", "The upload was cut off"));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "The upload was cancelled"));
    xhr.onload = () => {
      const response = new Response(xhr.responseText || null, {
        status: xhr.status,
        headers: { "Content-Type": xhr.getResponseHeader("Content-Type") ?? "" },
      });
      sessionCheck(response, path);
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
      } else {
        errorFrom(response).then(reject, reject);
      }
    };
    xhr.send(file);
  });
}

// Fetches a file, reporting progress as it arrives, and hands it to the browser to save.
export async function download(path: string, fallbackName: string, onProgress: Progress) {
  let response: Response;
  try {
    response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
  } catch (e) {
    throw networkError(e);
  }
  sessionCheck(response, path);
  if (!response.ok) throw await errorFrom(response);
  const length = Number(response.headers.get("Content-Length") ?? "");
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const chunks: Uint8Array[] = [];
  let done = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) break;
      chunks.push(value);
      done += value.byteLength;
      onProgress(done, total);
    }
  }
  const blob = new Blob(chunks as BlobPart[], {
    type: response.headers.get("Content-Type") ?? "application/octet-stream",
  });
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const named = /filename="([^"]+)"/.exec(disposition)?.[1];
  saveBlob(blob, named ?? fallbackName);
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
