// The peer for bench/run: @tus/server with @tus/file-store, as its README sets it up.
// Copied next to its node_modules by bench/run; arguments: port, upload folder.
import http from 'node:http';
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';

const [port, directory] = process.argv.slice(2);
const tus = new Server({ path: '/files', datastore: new FileStore({ directory }) });
http.createServer((req, res) => tus.handle(req, res)).listen(Number(port), '127.0.0.1', () => {
  console.log(`@tus/server listening on 127.0.0.1:${port}`);
});
