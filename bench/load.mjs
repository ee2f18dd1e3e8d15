// The load generator, in its own process: runs autocannon with the options it is sent and sends back a summary.
import autocannon from 'autocannon';

process.once('message', (options) => {
  const {
    url,
    connections,
    durationS,
    amount,
    headers = {},
    method = 'GET',
    body,
    overallRate,
    randomBearerKeys,
    bearerKeys,
    timeoutS = 10,
  } = options;
  const config = { url, connections, headers, method, body, overallRate, timeout: timeoutS };
  if (amount) config.amount = amount;
  else config.duration = durationS;
  if (randomBearerKeys) {
    // Every request carries a different, well-formed but unknown key.
    config.requests = [
      {
        setupRequest: (request) => ({
          ...request,
          headers: {
            ...request.headers,
            authorization: `Bearer sk_flood_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
          },
        }),
      },
    ];
  }
  if (bearerKeys) {
    // Every request carries the next key of the list (a cold flood of distinct, valid keys).
    let next = 0;
    config.requests = [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, authorization: `Bearer ${bearerKeys[next++ % bearerKeys.length]}` },
        }),
      },
    ];
  }
  // This process runs nothing but the load: its CPU is what the client side of the measured exchange costs.
  const cpuBefore = process.cpuUsage();
  autocannon(config, (error, result) => {
    const cpu = process.cpuUsage(cpuBefore);
    if (error) {
      process.send({ error: String(error) });
      return;
    }
    process.send({
      total: result.requests.total,
      durationS: result.duration,
      rps: result.requests.total / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: result.statusCodeStats,
      loadCpuPerRequestUs: result.requests.total > 0 ? (cpu.user + cpu.system) / result.requests.total : NaN,
    });
  });
});
