import { withApiKey } from '@keyguard/next';
import { verifier } from '../../../lib/keyguard';

// Anyone may call it; a valid key gets a personal greeting, a bad key is still refused.
export const GET = withApiKey(
  (_request, { apiKey }) => Response.json({ message: `hello ${apiKey?.name ?? 'anonymous'}` }),
  () => ({ verifier: verifier(), optional: true }),
);
