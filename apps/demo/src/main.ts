// The demo page; sections land with issue 9.
const app = document.querySelector<HTMLElement>('#app');
if (app) app.textContent = 'Residual networks, live — coming soon.';
