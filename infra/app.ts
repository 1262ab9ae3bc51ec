import { buildApp } from './build-app.js';

// The CLI passes context (cdk.json and -c flags) and the output directory through the environment; the app
// synthesizes itself when this module finishes.
buildApp();
