import { withApiKeyPages } from '@keyguard/next';
import { verifier } from '../../../lib/keyguard';

// A Pages Router API route: `req.apiKey` is set before the handler runs.
export default withApiKeyPages(
  (req, res) => {
    const { id, name, permissions } = req.apiKey;
    res.status(200).json({ id, name, permissions, router: 'pages' });
  },
  () => ({ verifier: verifier() }),
);
