import { deny } from '@keyguard/core';
import { apiKeyFromHeaders } from '@keyguard/next';

// middleware.ts verified the key on the edge and forwarded it, signed, in a request header. This route only
// checks the signature (KEYGUARD_FORWARD_SECRET): a client sending that header itself gets a 401.
export async function GET(request: Request): Promise<Response> {
  const apiKey = await apiKeyFromHeaders(request.headers);
  if (!apiKey) {
    const denial = deny({ reason: 'missing' });
    return new Response(JSON.stringify(denial.body), { status: denial.status, headers: denial.headers });
  }
  const { id, name, permissions, identity } = apiKey;
  return Response.json({ id, name, permissions, identity, verifiedBy: 'middleware' });
}
