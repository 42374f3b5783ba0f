const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * A new random id with the given prefix ("b" for brackets, "p" for paragraphs …). Ten
 * base-36 characters from the platform's CSPRNG: ids are created concurrently by a hundred
 * clients and must not collide, and they are never derived from content.
 */
export function newId(prefix: string): string {
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  let id = prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}
