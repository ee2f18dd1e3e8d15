// htm's Preact binding (`html` tagged templates instead of JSX: no JSX step in the build) and Preact's hooks, from
// one place. htm/preact's module exports no hooks, though its types say so.
export { html, render } from 'htm/preact';
export { useCallback, useEffect, useState } from 'preact/hooks';
