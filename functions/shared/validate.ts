import { BadUserInputError } from './errors.js';

/**
 * Control characters no text field holds: C0 (NUL, ESC, tab…), DEL and C1. A tab or a carriage return inside a
 * title would split it into cells when a tab-separated or CSV file is opened, so that a later part (`=1+1`)
 * starts a cell of its own; NUL and ESC have no business in a record. Multi-line fields (descriptions,
 * summaries, reasons, comments, addresses) keep their line feeds; a CRLF typed in a browser is kept as LF.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_OR_LINE_FEED = /[\u0000-\u001F\u007F-\u009F]/;

/** Whether text may span lines (line feeds kept); single-line by default. */
export interface TextShape {
  readonly multiline?: boolean;
}

function withoutControls(value: string, field: string, shape: TextShape): string {
  const text = shape.multiline ? value.replace(/\r\n/g, '\n') : value;
  const found = (shape.multiline ? CONTROL : CONTROL_OR_LINE_FEED).exec(text);
  if (found) {
    const code = `U+${found[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new BadUserInputError(
      `${field} must not contain control characters (found ${code}${shape.multiline ? '' : '; it is one line'}).`,
      field,
    );
  }
  return text;
}

/** Trimmed text of a length in [min, max], without control characters; BAD_USER_INPUT naming the field otherwise. */
export function text(value: string, field: string, limits: { min?: number; max: number } & TextShape): string {
  const trimmed = withoutControls(value, field, limits).trim();
  const min = limits.min ?? 1;
  if (trimmed.length < min)
    throw new BadUserInputError(min === 1 ? `${field} must not be empty.` : `${field} must have at least ${min} characters.`, field);
  if (trimmed.length > limits.max) throw new BadUserInputError(`${field} must have at most ${limits.max} characters.`, field);
  return trimmed;
}

/** Optional text: null or undefined stay as they are; an empty string clears the field. */
export function optionalText(
  value: string | null | undefined,
  field: string,
  max: number,
  shape: TextShape = {},
): string | null | undefined {
  if (value === null || value === undefined) return value;
  const trimmed = withoutControls(value, field, shape).trim();
  if (trimmed.length > max) throw new BadUserInputError(`${field} must have at most ${max} characters.`, field);
  return trimmed.length === 0 ? null : trimmed;
}

/** An integer in [min, max]. */
export function intIn(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new BadUserInputError(`${field} must be a whole number from ${min} to ${max}.`, field);
  return value;
}

/** An identifier chosen by a person (an agency's, a plan's): lower-case letters and digits in dash-separated words. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 40;

export const isSlug = (value: string) => value.length <= SLUG_MAX && SLUG.test(value);

/** `value` when it is such an identifier; BAD_USER_INPUT naming `field` otherwise. */
export function slug(value: string, field: string): string {
  if (!isSlug(value)) {
    throw new BadUserInputError(
      `${field} must be lower-case letters and digits in dash-separated words, at most ${SLUG_MAX} characters.`,
      field,
    );
  }
  return value;
}

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
const EMAIL_MAX = 254;

export const isEmailAddress = (value: string) => value.length <= EMAIL_MAX && EMAIL.test(value);
