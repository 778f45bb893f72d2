/** The one timestamp form stored everywhere: UTC ISO 8601 with milliseconds, e.g. '2026-11-23T09:30:00.000Z'. */
export function nowIso(): string {
  return new Date().toISOString();
}
