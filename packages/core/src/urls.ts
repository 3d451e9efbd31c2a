/** Which URLs the core may fetch from or trust as an issuer: `https:`, or `http:` on loopback (tests). */

/** 127.0.0.0/8, `localhost` or `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** `https:`, or `http:` on a loopback host. */
export function isTrustedUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** The same for a string; `false` when it is not a URL. */
export function isTrustedUrlString(value: string): boolean {
  try {
    return isTrustedUrl(new URL(value));
  } catch {
    return false;
  }
}
