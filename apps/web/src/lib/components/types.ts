/** An error listed in an ErrorSummary. */
export interface SummaryItem {
  /** id of the control the error is about (the link moves focus there), or null for a form-level error. */
  target: string | null;
  message: string;
}
