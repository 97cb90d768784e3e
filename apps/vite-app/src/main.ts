// A public secret (its key starts with Vite's envPrefix, `VITE_`): typed by the generated
// src/infisical-env.generated.d.ts, and kept current on the dev server when it rotates.
const greeting = document.querySelector<HTMLParagraphElement>('#greeting');
if (greeting) greeting.textContent = import.meta.env.VITE_PUBLIC_GREETING;
