// Shared by every benchmark server process: counts the requests its HTTP server sees and answers the
// orchestrator's "stats" message with CPU time and that count, so CPU per request is measured in the server.
export function reportOverIpc(httpServer, extra = () => ({})) {
  let served = 0;
  httpServer.on('request', () => {
    served += 1;
  });
  process.on('message', (message) => {
    if (message === 'stats')
      process.send({ type: 'stats', cpu: process.cpuUsage(), served, memory: process.memoryUsage(), ...extra() });
    if (message === 'stop') httpServer.close(() => process.exit(0));
  });
  const address = httpServer.address();
  process.send({ type: 'ready', port: address.port });
}

export function listening(httpServer) {
  return new Promise((resolve) => {
    if (httpServer.listening) resolve();
    else httpServer.once('listening', resolve);
  });
}
