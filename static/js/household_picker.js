// A household list marked data-searchable gets a search box above it: typing narrows the
// list to the households whose line (reference, names, what they offer) holds every word.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-searchable]").forEach((select) => {
    const search = document.createElement("input");
    search.type = "search";
    search.className = "form-control mb-1";
    search.id = `${select.id}-search`;
    search.setAttribute("aria-label", "Narrow the list by typing");
    search.setAttribute("aria-controls", select.id);
    search.placeholder = "Search: reference, name, age, siblings…";
    select.parentNode.insertBefore(search, select);
    search.addEventListener("input", () => {
      const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.from(select.options).forEach((option) => {
        if (!option.value) return;
        const text = option.textContent.toLowerCase();
        const shown = words.every((word) => text.includes(word));
        option.hidden = !shown;
        option.disabled = !shown && !option.selected;
      });
    });
  });
});
