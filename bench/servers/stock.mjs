// The stock y-websocket server: @y/websocket-server 0.1.1 (yjs 13.6.33), its `setupWSConnection` on a plain
// `http` + `ws` server, with no persistence (YPERSISTENCE unset) and no auth: the reference the project's
// server is compared with. Documents are served at `/ws/<name>`, like the project's server, so the load
// generator uses the same URLs for both.
//
//   PORT=4001 HOST=127.0.0.1 taskset -c 0 node bench/servers/stock.mjs
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const port = Number(process.env.PORT ?? 4001);
const host = process.env.HOST ?? '127.0.0.1';

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('okay');
});
// Same ws options as the stock src/server.js (`new WebSocket.Server({ noServer: true })`): no maxPayload change.
const wss = new WebSocketServer({ noServer: true });

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith('/ws/')) {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    return;
  }
  const docName = decodeURIComponent(url.pathname.slice('/ws/'.length));
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
});

server.listen(port, host, () => {
  const addr = server.address();
  console.log(`stock y-websocket server listening on http://${host}:${typeof addr === 'object' && addr ? addr.port : port}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const ws of wss.clients) ws.terminate();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000);
  });
}
