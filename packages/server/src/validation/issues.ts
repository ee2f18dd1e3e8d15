/** One problem with the request, as in Unkey's `errors[]`: where (`body.name`), what, and how to fix it. */
export interface ValidationIssue {
  location: string;
  message: string;
  fix?: string;
  /** A machine-readable code for formats that carry one (Clerk's `errors[].code`); not part of Unkey's answer. */
  clerkCode?: string;
}
