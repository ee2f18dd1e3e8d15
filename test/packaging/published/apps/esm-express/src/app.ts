import express from 'express';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { keyguard, requirePermissions } from '@keyguard/express';

// An app outside the keyguard workspace, with the packed packages installed by npm: ESM, compiled by tsc (node16).
const rootKey = process.env.KEYGUARD_ROOT_KEY;
const baseUrl = process.env.KEYGUARD_BASE_URL;
if (!rootKey || !baseUrl) throw new Error('set KEYGUARD_ROOT_KEY and KEYGUARD_BASE_URL');

const verifier = createVerifier({ provider: unkey({ rootKey, baseUrl }) });
const app = express();
app.get('/documents', keyguard({ verifier }), requirePermissions('documents.read'), (req, res) => {
  res.json({ caller: req.apiKey!.id });
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  console.log(`listening http://127.0.0.1:${address.port}`);
});
