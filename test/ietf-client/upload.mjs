// Uploads FILE to ENDPOINT with tus-js-client speaking IETF Resumable Uploads (interop version 6) in
// CHUNK-byte PATCHes, through a proxy that cuts the connection once CUT bytes have gone through: in
// the middle of a PATCH body, as a dropped network would. Then resumes from the upload's URL as a
// restarted app would (HEAD, then PATCH from the offset the server reports). Prints one JSON line:
// the upload URL (of each run), how each run ended, the offset the resume started from, and every request answered.
// Usage: node upload.mjs ENDPOINT API_KEY USERNAME FILE CHUNK CUT
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { basename } from 'node:path';
import { Upload } from 'tus-js-client';

const [endpoint, apiKey, username, file, chunk, cut] = process.argv.slice(2);
const bytes = readFileSync(file);
const requests = [];

// forwards to the service; the first connection to pass CUT bytes up is cut there, later ones are left alone
function cuttingProxy(target, cutAfter) {
  let sent = 0;
  let armed = true;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    client.on('data', (data) => {
      sent += data.length;
      if (armed && sent >= cutAfter) {
        armed = false;
        upstream.write(data.subarray(0, data.length - (sent - cutAfter)));
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(data);
    });
    upstream.on('data', (data) => client.write(data));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function run(url, extra) {
  return new Promise((resolve, reject) => {
    const upload = new Upload(bytes, {
      endpoint: url,
      protocol: 'ietf-draft-05',
      chunkSize: Number(chunk),
      headers: { 'X-API-KEY': apiKey, 'X-Username': username },
      metadata: { filename: basename(file), filetype: 'application/octet-stream' },
      onAfterResponse(req, res) {
        requests.push({ method: req.getMethod(), status: res.getStatus(), offset: res.getHeader('Upload-Offset') ?? null });
      },
      onSuccess: () => resolve({ url: upload.url, ended: 'complete' }),
      onError: (error) => (upload.url ? resolve({ url: upload.url, ended: String(error) }) : reject(error)),
      ...extra,
    });
    upload.start();
  });
}

const proxy = await cuttingProxy(new URL(endpoint), Number(cut));
const viaProxy = new URL(endpoint);
viaProxy.port = proxy.address().port;
const cutOff = await run(viaProxy.toString(), { retryDelays: [] });
const before = requests.length;
// the cut PATCH may still hold the upload's lock for a moment (423), or leave a HEAD behind the last write (409): both are retried
const resumed = await run(viaProxy.toString(), { uploadUrl: cutOff.url, retryDelays: [200, 500, 1000, 2000, 4000] });
proxy.close();
// where the resume really started: the offset of the last HEAD before the PATCH that went on
const head = requests.slice(before).filter((r) => r.method === 'HEAD').pop();
console.log(JSON.stringify({
  url: resumed.url, cutUrl: cutOff.url, cut: cutOff.ended, ended: resumed.ended, resumedFrom: head ? Number(head.offset) : null, requests,
}));
