import { withApiKey } from '@keyguard/next';
import type { VerifiedKey } from '@keyguard/next';
import { documents } from '../../../../lib/documents';
import { verifier } from '../../../../lib/keyguard';

// `params` is a Promise in Next.js 15 and 16; withApiKey passes it through untouched.
export const GET = withApiKey(
  async (_request: Request, { params }: { apiKey: VerifiedKey; params: Promise<{ id: string }> }) => {
    const { id } = await params;
    const document = documents.find((candidate) => candidate.id === Number(id));
    return document ? Response.json(document) : Response.json({ title: 'Not Found', status: 404 }, { status: 404 });
  },
  () => ({ verifier: verifier(), permissions: 'documents.read' }),
);
