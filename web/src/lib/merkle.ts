// Checks, in the browser, that audit events are in the server's signed log (docs/audit.md): the
// leaf hash recomputed from the event's fields, the RFC 9162 inclusion proof against the
// checkpoint's root, and the checkpoint's Ed25519 signature over its note. Uses only WebCrypto.

import type { AuditEvent, Checkpoint } from "./types";

const encoder = new TextEncoder();

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) throw new Error(`not hex: ${hex}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; ++i) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function base64UrlToBytes(text: string): Uint8Array {
  const b64 = text.replaceAll("-", "+").replaceAll("_", "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", concat(parts) as BufferSource));
}

// JSON with object keys in code-unit order and no spaces: how the server wrote `details` into
// the leaf (nlohmann::json::dump of a sorted map).
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  const obj = value as Record<string, unknown>;
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

// The leaf input: 0x01, seq as 8 bytes big-endian, then each field as a 4-byte big-endian length
// and its UTF-8 bytes.
export function leafInput(e: AuditEvent): Uint8Array {
  const details = typeof e.details === "string" ? e.details : canonicalJson(e.details);
  const fields = [
    e.time,
    e.actor_id,
    e.actor_role,
    e.tenant_id,
    e.action,
    e.resource,
    e.outcome,
    e.reason,
    e.source_address,
    e.request_id,
    details,
  ];
  const parts: Uint8Array[] = [Uint8Array.of(1)];
  const seq = new Uint8Array(8);
  new DataView(seq.buffer).setBigUint64(0, BigInt(e.seq));
  parts.push(seq);
  for (const f of fields) {
    const bytes = encoder.encode(f);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, bytes.length);
    parts.push(len, bytes);
  }
  return concat(parts);
}

export async function leafHash(e: AuditEvent): Promise<Uint8Array> {
  return sha256(Uint8Array.of(0), leafInput(e));
}

// RFC 9162 section 2.1.3.2.
export async function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(Uint8Array.of(1), p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await sha256(Uint8Array.of(1), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesToHex(r) === bytesToHex(root);
}

// The note must say what the checkpoint says, and the signature must be the key's over it.
export async function verifyCheckpoint(cp: Checkpoint): Promise<boolean> {
  const expected = `strongroom audit checkpoint v1\n${cp.tree_size}\n${cp.root_hash}\n${cp.time}\n`;
  if (cp.signed_note !== expected) return false;
  const key = await crypto.subtle.importKey(
    "raw",
    base64UrlToBytes(cp.public_key) as BufferSource,
    { name: "Ed25519" },
    false,
    ["verify"],
  );
  return crypto.subtle.verify(
    { name: "Ed25519" },
    key,
    base64UrlToBytes(cp.signature) as BufferSource,
    encoder.encode(cp.signed_note) as BufferSource,
  );
}

export type EventCheck = "proven" | "leaf_mismatch" | "proof_failed" | "after_checkpoint";

// One event against a checkpoint whose signature was checked: its recomputed leaf (or, for an
// event pruned past retention, the stored one) must be in the tree by the proof.
export async function checkEvent(
  e: AuditEvent,
  cp: Checkpoint,
  proof: string[],
): Promise<EventCheck> {
  if (e.seq >= cp.tree_size) return "after_checkpoint";
  const leaf = e.pruned ? hexToBytes(e.leaf_hash) : await leafHash(e);
  if (!e.pruned && bytesToHex(leaf) !== e.leaf_hash.toLowerCase()) return "leaf_mismatch";
  const ok = await verifyInclusion(
    e.seq,
    cp.tree_size,
    leaf,
    proof.map(hexToBytes),
    hexToBytes(cp.root_hash),
  );
  return ok ? "proven" : "proof_failed";
}
