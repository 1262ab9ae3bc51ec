import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// happy-dom has no Web Animations API; Designsystemet's components ask for running animations.
if (!('getAnimations' in document)) Object.assign(document, { getAnimations: () => [] });
if (!('getAnimations' in Element.prototype)) Object.assign(Element.prototype, { getAnimations: () => [] });

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});
