/**
 * The server URL as custdb may print it: without a password, whether it is in
 * the user part (`postgres://ann:secret@host/db`) or a query parameter
 * (`?password=…`, `?sslpassword=…`). Works on text that is not a valid URL
 * too, since that is exactly what an error message about a malformed URL
 * shows: everything from the first ':' of the user part to the last '@' goes.
 *
 * @example redactUrl('postgres://ann:s3cr%40t@db.example.com/shop') // 'postgres://ann@db.example.com/shop'
 */
export function redactUrl(url: string): string {
  let redacted = url;
  const schemeEnd = redacted.indexOf('://');
  if (schemeEnd >= 0) {
    const start = schemeEnd + '://'.length;
    // The last '@': a password with an unencoded '@' or '/' must not leave a piece behind.
    const at = redacted.lastIndexOf('@');
    if (at > start) {
      const userInfo = redacted.slice(start, at);
      const colon = userInfo.indexOf(':');
      if (colon >= 0) redacted = redacted.slice(0, start) + userInfo.slice(0, colon) + redacted.slice(at);
    }
  }
  return redacted
    .replace(/([?&])(?:ssl)?password=[^&#]*&?/gi, '$1')
    .replace(/[?&]+(?=#|$)/, '');
}
