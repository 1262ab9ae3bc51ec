/**
 * Downloads from `/exports/*`: the API wants the session's bearer token, so a plain link will not do.
 * The file is fetched with the Authorization header (renewed once on a 401, as for /graphql), then
 * saved as a Blob under the name the server gives in Content-Disposition.
 */

/** Why a download failed, by what the reader can do about it. */
export type ExportFailure = 'unauthenticated' | 'forbidden' | 'badRequest' | 'tooLarge' | 'unavailable' | 'server' | 'network';

export class ExportError extends Error {
  constructor(
    readonly failure: ExportFailure,
    readonly status: number | null,
    /** What the server said, for a 400 (the filter it refused). */
    readonly detail?: string,
  ) {
    super(`export failed: ${failure}${status !== null ? ` (${status})` : ''}`);
  }
}

/** The file name of a Content-Disposition header: `filename*` (RFC 5987) before `filename`; null when none. */
export function fileNameFrom(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2]) {
    try {
      return safeName(decodeURIComponent(extended[2].trim()));
    } catch {
      // A malformed encoding: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
  return name ? safeName(name) : null;
}

/** A name to save under: no directories, never empty. */
const safeName = (name: string) => name.replace(/[/\\]/g, '_').trim() || null;

/** The address of a CSV export with its filters (empty ones left out) and dialect. */
export function csvExportPath(
  dataset: string,
  params: Record<string, string | number | null | undefined>,
  dialect: 'rfc4180' | 'excel-nb',
) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  }
  if (dialect === 'excel-nb') query.set('dialect', 'excel-nb');
  const search = query.toString();
  return `/exports/${dataset}.csv${search ? `?${search}` : ''}`;
}

async function detailOf(response: Response): Promise<string | undefined> {
  try {
    const text = (await response.text()).trim();
    if (!text) return undefined;
    try {
      const body = JSON.parse(text) as { message?: unknown; errors?: { message?: unknown }[] };
      const message = body.message ?? body.errors?.[0]?.message;
      if (typeof message === 'string') return message.slice(0, 300);
    } catch {
      // Not JSON: the text itself.
    }
    return text.slice(0, 300);
  } catch {
    return undefined;
  }
}

/** Fetches an export with the session's token; resolves to the Blob and its file name, or throws an ExportError. */
export async function fetchExport(fetchImpl: typeof fetch, path: string, fallbackName: string): Promise<{ blob: Blob; fileName: string }> {
  let response: Response;
  try {
    response = await fetchImpl(path, { method: 'GET' });
  } catch {
    throw new ExportError('network', null);
  }
  if (!response.ok) {
    const status = response.status;
    if (status === 401) throw new ExportError('unauthenticated', status);
    if (status === 403) throw new ExportError('forbidden', status);
    if (status === 400) throw new ExportError('badRequest', status, await detailOf(response));
    if (status === 413) throw new ExportError('tooLarge', status);
    if (status === 404 || status === 501 || status === 503) throw new ExportError('unavailable', status);
    throw new ExportError('server', status);
  }
  const blob = await response.blob();
  return { blob, fileName: fileNameFrom(response.headers.get('content-disposition')) ?? fallbackName };
}

/** Hands a Blob to the browser as a download. */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Let the download start before the address is given up.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
