// Uploads FILE to ENDPOINT with tus-js-client speaking IETF Resumable Uploads (interop version 6),
// in CHUNK-byte PATCHes; cuts the connection in the middle of a PATCH once half is sent, then resumes
// from the URL as a restarted app would
// (HEAD, then PATCH from the offset the server reports). Prints one JSON line: the upload URL, the
// offset the resume started from, and every request it made.
// Usage: node upload.mjs ENDPOINT API_KEY USERNAME FILE CHUNK
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Upload } from 'tus-js-client';

const [endpoint, apiKey, username, file, chunk] = process.argv.slice(2);
const bytes = readFileSync(file);
const requests = [];

function options(extra) {
  return {
    endpoint,
    protocol: 'ietf-draft-05',
    chunkSize: Number(chunk),
    retryDelays: [200, 500, 1000, 2000, 4000],
    headers: { 'X-API-KEY': apiKey, 'X-Username': username },
    metadata: { filename: basename(file), filetype: 'application/octet-stream' },
    onAfterResponse(req, res) {
      requests.push({ method: req.getMethod(), status: res.getStatus(), offset: res.getHeader('Upload-Offset') ?? null });
    },
    ...extra,
  };
}

function run(extra, stopAt) {
  return new Promise((resolve, reject) => {
    const upload = new Upload(bytes, options({
      onError: reject,
      onSuccess: () => resolve(upload.url),
      onProgress(sent) {
        if (stopAt !== undefined && sent >= stopAt) {
          stopAt = undefined;
          upload.abort().then(() => resolve(upload.url), reject);
        }
      },
      ...extra,
    }));
    upload.start();
  });
}

const url = await run({}, bytes.length / 2);
const before = requests.length;
await run({ uploadUrl: url });
const head = requests.slice(before).find((r) => r.method === 'HEAD');
console.log(JSON.stringify({ url, resumedFrom: head ? Number(head.offset) : null, requests }));
