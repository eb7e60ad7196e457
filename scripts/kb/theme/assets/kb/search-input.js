/*
 * The theme runs a search when a key is released in the search box. Text that
 * arrives without a key -- pasted with the mouse, written on a handwriting pad or
 * spoken into a voice input, as older people often do -- would not be searched.
 * Each such change is passed on as the key release the theme listens for.
 */
document.addEventListener("input", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.matches(".md-search__input") && !event.isComposing) {
    field.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
});
