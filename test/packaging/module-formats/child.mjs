// One case of module-formats.test.ts, run by plain Node (not vitest, whose module runner would resolve
// `@keyguard/*` inside the built files to the TypeScript sources): loads each package from its built CommonJS
// (`require` of dist/*.cjs) or ESM (`import` of dist/*.js) file, as the case says, runs it against the test's
// loopback servers and prints what it observed as one JSON line. Nothing here carries a key into its output.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import diagnostics from 'node:diagnostics_channel';

const input = JSON.parse(process.env.KEYGUARD_MODULE_FORMATS_CASE ?? '{}');
const { root } = input;
const requireFrom = createRequire(join(root, 'package.json'));

/** A package's entry point, from its CommonJS or its ESM build. */
async function load(name, format, entry = 'index') {
  const file = join(root, 'packages', name, 'dist', `${entry}.${format === 'cjs' ? 'cjs' : 'js'}`);
  return format === 'cjs' ? requireFrom(file) : import(pathToFileURL(file).href);
}

/** A framework or helper the app would install itself (one copy, whatever loads our packages). */
const dependency = (name) => import(pathToFileURL(requireFrom.resolve(name)).href);

const SECRETS = { unkey: 'unkey_root_module_formats', clerk: 'sk_test_module_formats' };
const KEYS = { unkey: 'sk_module_formats_0123456789', clerk: 'ak_module_formats_0123456789' };

function providerOf(kind, providerPackage, baseUrl, timeoutMs) {
  return kind === 'unkey'
    ? providerPackage.unkey({ rootKey: SECRETS.unkey, baseUrl, timeoutMs })
    : providerPackage.clerk({ secretKey: SECRETS.clerk, baseUrl, timeoutMs });
}

/** A logger that keeps what it is given, to read the provider error codes the verifier logs. */
function capturingLogger() {
  const lines = [];
  const keep = (level) => (message, fields) => lines.push({ level, message: String(message), fields: fields ?? {} });
  return { lines, logger: { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') } };
}

const loggedCodes = (lines) =>
  lines
    .filter((line) => line.level !== 'debug')
    .map((line) => line.fields.code)
    .filter((code) => typeof code === 'string' && code.startsWith('PROVIDER_'));
const leaked = (texts) =>
  texts.some(
    (text) =>
      Object.values(SECRETS).some((secret) => text.includes(secret)) ||
      Object.values(KEYS).some((key) => text.includes(key)),
  );

/** Which copies of core's classes recognise an error and its causes: both builds must, whichever threw it. */
async function recognition(error) {
  const copies = { esm: await load('core', 'esm'), cjs: await load('core', 'cjs') };
  const services = { esm: await load('core', 'esm', 'service'), cjs: await load('core', 'cjs', 'service') };
  const causes = [];
  for (let cause = error?.cause; cause && causes.length < 5; cause = cause.cause) causes.push(cause);
  const transport = causes.find((cause) => typeof cause.code === 'string' && cause.code.startsWith('TRANSPORT_'));
  const seen = {};
  for (const format of ['esm', 'cjs']) {
    seen[format] = {
      providerError: error instanceof copies[format].ProviderError,
      keyguardError: error instanceof copies[format].KeyguardError,
      transportError:
        transport === undefined
          ? null
          : transport instanceof services[format].TransportError && transport instanceof copies[format].KeyguardError,
    };
  }
  return seen;
}

/** A provider's own failure, and the verifier's answer and log line for it. */
async function providerFailure({ provider: kind, formats, baseUrl, timeoutMs }) {
  const core = await load('core', formats.core);
  const providerPackage = await load(kind, formats.provider);
  const direct = providerOf(kind, providerPackage, baseUrl, timeoutMs);
  let thrown;
  try {
    await direct.verify(KEYS[kind]);
  } catch (error) {
    thrown = error;
  } finally {
    await direct.close?.();
  }
  const { lines, logger } = capturingLogger();
  const verifier = core.createVerifier({ provider: providerOf(kind, providerPackage, baseUrl, timeoutMs), logger });
  const verification = await verifier.verify(KEYS[kind]);
  await verifier.close();
  return {
    thrown:
      thrown === undefined ? null : { code: thrown.code, name: thrown.name, recognised: await recognition(thrown) },
    verification: { valid: verification.valid, code: verification.code },
    logged: loggedCodes(lines),
    leaked: leaked([
      ...lines.map((line) => `${line.message} ${JSON.stringify(line.fields)}`),
      thrown?.message ?? '',
      String(thrown?.cause?.message ?? ''),
    ]),
  };
}

/** A provider of the app's own that throws core's ProviderError, from the other build than the verifier's. */
async function customProvider({ formats }) {
  const core = await load('core', formats.core);
  const other = await load('core', formats.provider);
  const { lines, logger } = capturingLogger();
  const provider = {
    name: 'custom',
    async verify() {
      throw new other.ProviderError('PROVIDER_TIMEOUT', 'the custom store did not answer', { provider: 'custom' });
    },
  };
  const verifier = core.createVerifier({ provider, logger });
  const verification = await verifier.verify('sk_custom_0123456789');
  await verifier.close();
  return { verification: { valid: verification.valid, code: verification.code }, logged: loggedCodes(lines) };
}

/**
 * A verification whose first connection is refused: a request that never left may be sent again. The port is closed
 * until undici reports the refused connection; the answering server is bound there and then (a synchronous bind),
 * before the retry's backoff ends, so the retry, when there is one, is answered. Counts come from undici's own
 * diagnostics channel and from the server.
 */
async function refusedThenAnswered({ provider: kind, formats }) {
  const core = await load('core', formats.core);
  const providerPackage = await load(kind, formats.provider);
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));

  let answered = 0;
  const server = createServer((request, response) => {
    answered += 1;
    request.resume();
    request.on('end', () => {
      const body =
        kind === 'unkey'
          ? {
              meta: { requestId: 'req_module_formats' },
              data: {
                valid: true,
                code: 'VALID',
                keyId: 'key_module_formats',
                permissions: [],
                roles: [],
                enabled: true,
              },
            }
          : {
              id: 'ak_id_module_formats',
              object: 'api_key',
              type: 'api_key',
              subject: 'user_module_formats',
              name: 'probe',
              scopes: [],
              claims: null,
              revoked: false,
              expired: false,
              expiration: null,
              created_at: 1,
              updated_at: 1,
            };
      response.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify(body));
    });
  });
  let refused = 0;
  const onConnectError = () => {
    refused += 1;
    if (!server.listening) server.listen(port, '127.0.0.1');
  };
  diagnostics.subscribe('undici:client:connectError', onConnectError);
  const { lines, logger } = capturingLogger();
  const verifier = core.createVerifier({
    provider: providerOf(kind, providerPackage, `http://127.0.0.1:${port}`, 2000),
    logger,
    cache: false,
  });
  try {
    const verification = await verifier.verify(KEYS[kind]);
    return {
      verification: { valid: verification.valid, code: verification.code },
      refused,
      answered,
      logged: loggedCodes(lines),
    };
  } finally {
    diagnostics.unsubscribe('undici:client:connectError', onConnectError);
    await verifier.close();
    server.closeAllConnections();
    await new Promise((resolve) => (server.listening ? server.close(resolve) : resolve()));
  }
}

/**
 * Batched metering against a service that answers verifications and drops the connection of every settlement once it
 * has read it: such a settlement may have been applied, so it must not be sent again (charging twice).
 */
async function settlement({ formats, baseUrl }) {
  const core = await load('core', formats.core);
  const providerPackage = await load('unkey', formats.provider);
  const { lines, logger } = capturingLogger();
  const verifier = core.createVerifier({
    provider: providerOf('unkey', providerPackage, baseUrl, 2000),
    logger,
    metering: { mode: 'batched', maxBatch: 2, maxDelayMs: 60_000 },
  });
  const sources = [];
  for (let request = 0; request < 3; request++) sources.push((await verifier.verify(KEYS.unkey)).source);
  await verifier.close();
  const { failedSettlements, inDoubt, lost, settled, admitted } = verifier.stats().metering;
  return {
    sources,
    metering: { admitted, settled, failedSettlements, inDoubt, lost },
    leaked: leaked(lines.map((line) => `${line.message} ${JSON.stringify(line.fields)}`)),
  };
}

/** Starts an app of one framework with the adapter guarding `/protected`; answers its URL and how to stop it. */
async function startApp(adapter, adapterPackage, options) {
  const listen = async (server) => {
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${server.address().port}`,
      stop: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
    };
  };
  switch (adapter) {
    case 'express': {
      const { default: express } = await dependency('express');
      const auth = adapterPackage.keyguard(options);
      const app = express();
      app.get('/protected', auth, (_request, response) => void response.json({ ok: true }));
      const started = await listen(createServer(app));
      return { url: started.url, stop: async () => (await started.stop(), await auth.keyguard.close()) };
    }
    case 'fastify': {
      const { default: Fastify } = await dependency('fastify');
      const app = Fastify({ forceCloseConnections: true });
      await app.register(adapterPackage.keyguard, options);
      app.get('/protected', async () => ({ ok: true }));
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      return { url, stop: () => app.close() };
    }
    case 'hono': {
      const { Hono } = await dependency('hono');
      const { createAdaptorServer } = await dependency('@hono/node-server');
      const auth = adapterPackage.keyguard(options);
      const app = new Hono().get('/protected', auth, (c) => c.json({ ok: true }));
      const started = await listen(createAdaptorServer({ fetch: app.fetch }));
      return { url: started.url, stop: async () => (await started.stop(), await auth.keyguard.close()) };
    }
    case 'koa': {
      const { default: Koa } = await dependency('koa');
      const auth = adapterPackage.keyguard(options);
      const app = new Koa();
      app.use(auth);
      app.use((ctx) => {
        ctx.body = { ok: true };
      });
      const started = await listen(createServer(app.callback()));
      return { url: started.url, stop: async () => (await started.stop(), await auth.keyguard.close()) };
    }
    case 'next': {
      const { createAdaptorServer } = await dependency('@hono/node-server');
      const route = adapterPackage.withApiKey(() => Response.json({ ok: true }), options);
      const started = await listen(
        createAdaptorServer({ fetch: (request) => route(request, { params: Promise.resolve({}) }) }),
      );
      return started;
    }
    case 'nestjs': {
      await dependency('reflect-metadata');
      const common = await dependency('@nestjs/common');
      const nestCore = await dependency('@nestjs/core');
      const { ExpressAdapter } = await dependency('@nestjs/platform-express');
      // Plain JavaScript has no decorator syntax: the decorators are applied as functions, as TypeScript's output does.
      class ProbeController {
        me() {
          return { ok: true };
        }
      }
      common.Controller()(ProbeController);
      common.Get('protected')(
        ProbeController.prototype,
        'me',
        Object.getOwnPropertyDescriptor(ProbeController.prototype, 'me'),
      );
      class ProbeModule {}
      common.Module({
        imports: [adapterPackage.KeyguardModule.forRoot(options)],
        controllers: [ProbeController],
        providers: [{ provide: nestCore.APP_GUARD, useClass: adapterPackage.ApiKeyGuard }],
      })(ProbeModule);
      const app = await nestCore.NestFactory.create(ProbeModule, new ExpressAdapter(), {
        logger: false,
        forceCloseConnections: true,
      });
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address();
      return { url: `http://127.0.0.1:${port}`, stop: () => app.close() };
    }
    default:
      throw new Error(`no app for ${adapter}`);
  }
}

/** A real request to an adapter whose key service fails: the status, headers and problem body it answers. */
async function adapterFailure({ adapter, formats, baseUrl, timeoutMs }) {
  const adapterPackage = await load(adapter, formats.adapter);
  const providerPackage = await load('unkey', formats.provider);
  const { lines, logger } = capturingLogger();
  const app = await startApp(adapter, adapterPackage, {
    provider: providerOf('unkey', providerPackage, baseUrl, timeoutMs),
    logger,
  });
  try {
    const response = await fetch(`${app.url}/protected`, { headers: { authorization: `Bearer ${KEYS.unkey}` } });
    const text = await response.text();
    const headers = {};
    for (const name of ['content-type', 'retry-after', 'www-authenticate', 'cache-control'])
      headers[name] = response.headers.get(name);
    return {
      status: response.status,
      headers,
      body: JSON.parse(text),
      logged: loggedCodes(lines),
      leaked: leaked([text, ...lines.map((line) => `${line.message} ${JSON.stringify(line.fields)}`)]),
    };
  } finally {
    await app.stop();
  }
}

const cases = { providerFailure, customProvider, refusedThenAnswered, settlement, adapterFailure };

async function main() {
  const results = [];
  for (const one of input.cases) results.push(await cases[one.kind](one));
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
