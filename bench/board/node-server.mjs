// The reference y-websocket server for bench/board_relay.py: @y/websocket-server's own connection
// handler (setupWSConnection: one Y.Doc per room, updates applied and broadcast) on `ws`, in memory.
//
//   node bench/board/node-server.mjs --port 1234 [--host 127.0.0.1]
//
// The room is the URL path without the query string (as in the package's own bin), so the M4SH path
// /ws/classroom/<id>/board works unchanged. No persistence: YPERSISTENCE is ignored.
import http from 'node:http'
import { parseArgs } from 'node:util'

delete process.env.YPERSISTENCE // read when utils.js is imported: keep the documents in memory only

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT || '1234' },
    host: { type: 'string', default: process.env.HOST || '127.0.0.1' }
  }
})

const { WebSocketServer } = await import('ws')
const { setupWSConnection } = await import('@y/websocket-server/utils')

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
wss.on('connection', setupWSConnection)

const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, ws => wss.emit('connection', ws, request))
})

const shutdown = () => {
  for (const client of wss.clients) client.terminate()
  server.close(() => process.exit(0))
  setTimeout(() => process.exit(0), 2000).unref()
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)

server.listen(Number(values.port), values.host, () => {
  console.log(`y-websocket reference server on ${values.host}:${values.port}`)
})
