/** Where `createKeyServer()` serves its web dashboard (see the `dashboard` option). */
export interface DashboardOptions {
  /**
   * The path the dashboard is served under, on the service's own port: `<path>/` is the page, `<path>/events` its
   * live feed, `<path>/history` the recent verifications. It must not be `/`, nor under `/v1`, `/v2` or `/metrics`.
   * @default '/dashboard'
   */
  path?: string;
}

/** Where the dashboard is when the `dashboard` option does not say. */
export const DEFAULT_DASHBOARD_PATH = '/dashboard';

export const DASHBOARD_PATH_REQUIREMENT =
  'must be { path?: "/<segment>[/<segment>…]" } (letters, digits, "-", "_", "."; not under /v1, /v2 or /metrics), or false';

const TAKEN = /^\/(v1|v2|metrics)(\/|$)/;

/** A path the dashboard can be served under without hiding a route of the service. */
export const isUsableDashboardPath = (path: unknown): boolean =>
  typeof path === 'string' && /^(\/[A-Za-z0-9._-]+)+$/.test(path) && !TAKEN.test(path) && path.length <= 200;

/** Whether a `dashboard` option value is usable: `false`, or an object with at most a usable `path`. */
export const isUsableDashboardOption = (value: unknown): boolean =>
  value === false ||
  (typeof value === 'object' &&
    value !== null &&
    Object.keys(value).every((name) => name === 'path') &&
    ((value as DashboardOptions).path === undefined || isUsableDashboardPath((value as DashboardOptions).path)));
