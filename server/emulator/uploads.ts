import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http';

/**
 * The staged-upload target (POST /__emulator/staged-uploads): a multipart form with the parameters
 * stagedUploadsCreate returned and the file, answered in S3's XML as Shopify's targets do.
 */
export async function receiveStagedUpload(req: IncomingMessage, res: ServerResponse, uploads: Map<string, Buffer>): Promise<void> {
  const raw = await readBody(req);
  const form = await new Request('http://emulator/upload', {
    method: 'POST',
    headers: { 'content-type': req.headers['content-type'] ?? '' },
    body: new Uint8Array(raw),
  }).formData();
  const key = form.get('key');
  const file = form.get('file');
  if (typeof key !== 'string' || !file || typeof file === 'string') {
    res.writeHead(400, { 'content-type': 'application/xml' });
    res.end('<Error><Code>InvalidArgument</Code><Message>key and file are required</Message></Error>');
    return;
  }
  uploads.set(key, Buffer.from(await file.arrayBuffer()));
  res.writeHead(201, { 'content-type': 'application/xml' });
  res.end(`<PostResponse><Key>${key}</Key></PostResponse>`);
}
