import { withApiKey } from '@keyguard/next';
import { documents } from '../../../lib/documents';
import { verifier } from '../../../lib/keyguard';

// Keys with `documents.read` may list; keys with `documents.write` may create. The key is checked before the
// body is read, so an unauthenticated request costs no JSON parse.
export const GET = withApiKey(
  (_request, { apiKey }) => Response.json({ documents, caller: apiKey.id }),
  () => ({ verifier: verifier(), permissions: 'documents.read' }),
);

export const POST = withApiKey(
  async (request) => {
    const body = (await request.json().catch(() => ({}))) as { title?: unknown };
    const document = { id: documents.length + 1, title: typeof body.title === 'string' ? body.title : 'untitled' };
    documents.push(document);
    return Response.json(document, { status: 201 });
  },
  () => ({ verifier: verifier(), permissions: 'documents.write' }),
);
