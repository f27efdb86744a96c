import { ApiError, get, post, setCsrfToken, whenSessionEnds } from "./api";
import { errorText } from "./format";
import type { LoginReply, Me, Role, User } from "./types";

// Who is signed in, shared by every page. `notice` explains why the sign-in page is showing
// (signed out, session ended).
export const session = $state<{
  user: User | null;
  expiresAt: number | null;
  checked: boolean;
  notice: string;
}>({ user: null, expiresAt: null, checked: false, notice: "" });

let expiryTimer: ReturnType<typeof setTimeout> | undefined;

function begin(user: User, csrf: string, expiresAt: string): void {
  setCsrfToken(csrf);
  session.user = user;
  session.notice = "";
  session.expiresAt = Date.parse(expiresAt);
  clearTimeout(expiryTimer);
  const left = session.expiresAt - Date.now();
  // setTimeout cannot wait longer than ~24.8 days; sessions last hours.
  if (left > 0 && left < 2 ** 31) expiryTimer = setTimeout(() => end("Your session has expired. Sign in again to continue."), left);
}

export function end(notice: string): void {
  clearTimeout(expiryTimer);
  setCsrfToken("");
  session.user = null;
  session.expiresAt = null;
  session.notice = notice;
}

whenSessionEnds(() => {
  if (session.user) end("Your session has ended (it expired, was revoked, or you signed out elsewhere). Sign in again to continue.");
});

// On page load: a session cookie from before the reload still signs us in.
export async function resume(): Promise<void> {
  try {
    const me = await get<Me>("/api/v1/me");
    if (me.credential.kind === "session" && me.csrf_token) {
      begin(me.user, me.csrf_token, me.credential.expires_at);
    }
  } catch {
    // Not signed in: the sign-in page shows.
  } finally {
    session.checked = true;
  }
}

export function signedIn(reply: LoginReply): void {
  begin(reply.user, reply.csrf_token, reply.expires_at);
}

export async function signOut(): Promise<void> {
  let notice = "You have signed out.";
  try {
    await post("/api/v1/auth/logout");
  } catch (e) {
    // A session the server already ended (401) is signed out all the same.
    if (!(e instanceof ApiError && e.status === 401)) {
      notice = `You have signed out of this page, but the server could not be told (${errorText(e)}); the session ends by itself when it expires.`;
    }
  }
  end(notice);
}

export const kProviderRoles: Role[] = ["admin", "security_officer", "service", "auditor", "staff"];

export function isProvider(user: User | null): boolean {
  return user !== null && kProviderRoles.includes(user.role);
}

export function hasRole(...roles: Role[]): boolean {
  return session.user !== null && roles.includes(session.user.role);
}
