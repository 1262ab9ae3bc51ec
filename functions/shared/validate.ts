import { BadUserInputError } from './errors.js';

/** Trimmed text of a length in [min, max]; BAD_USER_INPUT naming the field otherwise. */
export function text(value: string, field: string, limits: { min?: number; max: number }): string {
  const trimmed = value.trim();
  const min = limits.min ?? 1;
  if (trimmed.length < min)
    throw new BadUserInputError(min === 1 ? `${field} must not be empty.` : `${field} must have at least ${min} characters.`, field);
  if (trimmed.length > limits.max) throw new BadUserInputError(`${field} must have at most ${limits.max} characters.`, field);
  return trimmed;
}

/** Optional text: null or undefined stay as they are; an empty string clears the field. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null | undefined {
  if (value === null || value === undefined) return value;
  const trimmed = value.trim();
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
