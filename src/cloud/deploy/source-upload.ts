import { DeployRequestFailed } from '../../errors';

/**
 * Uploads the source zip to the signed URL that `GenerateUploadUrl` returned, as Google documents: a single PUT with
 * `content-type: application/zip` (the URL is signed for that content type).
 * @param uploadUrl - The signed URL.
 * @param archive - The zip's bytes.
 * @throws DeployRequestFailed when the request fails or is answered with a non-2xx status.
 */
export async function putSourceArchive(uploadUrl: string, archive: Buffer): Promise<void> {
  // The query string holds the signature: keep it out of messages and logs.
  const shown = uploadUrl.split('?')[0] ?? uploadUrl;
  let response: Response;
  try {
    response = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/zip', 'content-length': String(archive.length) },
      body: archive,
    });
  } catch (error) {
    throw new DeployRequestFailed(`Uploading the source zip to ${shown} failed: ${(error as Error).message}.`, {
      api: 'upload',
      operation: 'PUT',
      resource: shown,
      cause: error,
    });
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 500);
    throw new DeployRequestFailed(
      `Uploading the source zip to ${shown} failed (${response.status}): ${text || response.statusText}.`,
      { api: 'upload', operation: 'PUT', resource: shown, status: response.status },
    );
  }
  // Drain the body so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined);
}
