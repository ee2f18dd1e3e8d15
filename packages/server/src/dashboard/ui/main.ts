import { html, render } from './preact.js';
import { App } from './app.js';

const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
