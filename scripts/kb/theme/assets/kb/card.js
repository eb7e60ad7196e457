// Print button on the work-prompt cards (kept out of the HTML so the CSP can forbid inline scripts).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-kb-print]")) window.print();
});
