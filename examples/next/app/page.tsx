const routes = [
  ['GET /api/greeting', 'anyone; a key gets a personal greeting'],
  ['GET /api/documents', 'keys with documents.read (route handler, withApiKey)'],
  ['POST /api/documents', 'keys with documents.write'],
  ['GET /api/documents/1', 'keys with documents.read (async params)'],
  ['GET /api/edge/me', 'any valid key, verified by middleware.ts on the edge and forwarded signed'],
  ['GET /api/legacy/whoami', 'any valid key (Pages Router API route, withApiKeyPages)'],
];

export default function Home() {
  return (
    <main>
      <h1>keyguard + Next.js</h1>
      <ul>
        {routes.map(([route, who]) => (
          <li key={route}>
            <code>{route}</code>: {who}
          </li>
        ))}
      </ul>
    </main>
  );
}
