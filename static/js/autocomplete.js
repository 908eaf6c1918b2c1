// Suggestions for the record pickers of edit forms. Without JavaScript the same fields take
// typed names; this only fills a <datalist> with matches as the person types.
(function () {
  "use strict";

  function debounce(fn, ms) {
    let timer;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  function datalistFor(input) {
    const id = input.getAttribute("list") || `${input.id}-options`;
    let list = document.getElementById(id);
    if (!list) {
      list = document.createElement("datalist");
      list.id = id;
      input.insertAdjacentElement("afterend", list);
    }
    input.setAttribute("list", id);
    return list;
  }

  async function fetchSuggestions(url, text) {
    const response = await fetch(`${url}?q=${encodeURIComponent(text)}`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) return [];
    const data = await response.json();
    return data.results || [];
  }

  function fill(list, results) {
    list.replaceChildren(
      ...results.map((result) => {
        const option = document.createElement("option");
        option.value = result.value;
        if (result.label !== result.value) option.label = result.label;
        return option;
      })
    );
  }

  // Single-record pickers: <input data-autocomplete="/autocomplete/agencies/">
  document.querySelectorAll("input[data-autocomplete]").forEach((input) => {
    const list = datalistFor(input);
    input.addEventListener(
      "input",
      debounce(async () => {
        const text = input.value.trim();
        if (text.length < 2) return;
        fill(list, await fetchSuggestions(input.dataset.autocomplete, text));
      }, 200)
    );
  });

  // The sources textarea: a search box above it adds the chosen source as a new line.
  document.querySelectorAll("textarea[data-autocomplete]").forEach((textarea) => {
    const search = document.createElement("input");
    search.type = "search";
    search.id = `${textarea.id}-search`;
    search.setAttribute("aria-describedby", `${textarea.id}-search-help`);
    const label = document.createElement("label");
    label.htmlFor = search.id;
    // Translated by the textarea's data-search-label and data-search-help when the form gives
    // them (the page's language); the English words otherwise.
    label.textContent = textarea.dataset.searchLabel || "Find a source by title or address";
    const help = document.createElement("small");
    help.id = `${textarea.id}-search-help`;
    help.className = "help";
    help.textContent =
      textarea.dataset.searchHelp || "Pick a suggestion to add it to the list below.";
    const list = datalistFor(search);
    // Above the textarea's own label, so that each label sits right over its control.
    const anchor = textarea.labels && textarea.labels.length ? textarea.labels[0] : textarea;
    anchor.before(label, search, help, list);
    search.addEventListener(
      "input",
      debounce(async () => {
        const text = search.value.trim();
        const chosen = Array.from(list.options).find((option) => option.value === text);
        if (chosen) {
          const lines = textarea.value.split("\n").map((line) => line.trim()).filter(Boolean);
          if (!lines.includes(text)) lines.push(text);
          textarea.value = lines.join("\n");
          search.value = "";
          return;
        }
        if (text.length < 2) return;
        fill(list, await fetchSuggestions(textarea.dataset.autocomplete, text));
      }, 200)
    );
  });
})();
