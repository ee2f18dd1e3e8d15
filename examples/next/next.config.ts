import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // No `next/image`, no fonts: the example is an API.
  poweredByHeader: false,
};

export default nextConfig;
