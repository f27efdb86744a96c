// Hash routing (#/controls/CTL-1?as_of=...): the server serves one page, so every view has a
// URL that can be bookmarked and reloaded without the server knowing the UI's paths.

export interface Route {
  path: string;
  segments: string[];
  query: URLSearchParams;
}

function parse(hash: string): Route {
  const raw = hash.replace(/^#/, "") || "/";
  const [path = "/", query = ""] = raw.split("?", 2);
  const segments = path.split("/").filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  return { path, segments, query: new URLSearchParams(query) };
}

export const route = $state<{ current: Route }>({ current: parse(location.hash) });

window.addEventListener("hashchange", () => {
  route.current = parse(location.hash);
});

// "#/a/b" from segments, each encoded.
export function href(...parts: (string | number)[]): string {
  return "#/" + parts.map((p) => encodeURIComponent(String(p))).join("/");
}

export function withParams(base: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

export function navigate(to: string): void {
  if (location.hash !== to) location.hash = to;
}
