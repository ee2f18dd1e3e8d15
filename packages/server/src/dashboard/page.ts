/**
 * The page: a shell that loads the bundled script and style. Asset URLs are absolute (the dashboard's path is an
 * option), and nothing inline, so that the CSP allows only 'self'.
 */
export function dashboardPage(path: string, script: string, style: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>keyguard dashboard</title>
<link rel="stylesheet" href="${path}/assets/${style}">
<script type="module" src="${path}/assets/${script}"></script>
</head>
<body>
<div id="app"><noscript>The keyguard dashboard needs JavaScript.</noscript></div>
</body>
</html>
`;
}
