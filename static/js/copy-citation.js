// "Cite this" works without JavaScript (the citation is text to select); this shows a button
// that copies it, where the browser lets the page write to the clipboard. Its messages come
// translated in the button's data-copied and data-failed (the page's language).
(function () {
  "use strict";

  for (const block of document.querySelectorAll(".cite-this")) {
    const button = block.querySelector(".copy-citation");
    const status = block.querySelector(".copy-status");
    const text = block.querySelector("[data-citation]").textContent.trim();
    if (!button || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(text).then(
        () => { status.textContent = button.dataset.copied || "Copied."; },
        () => {
          status.textContent =
            button.dataset.failed || "Could not copy: select the citation and copy it.";
        }
      );
    });
  }
})();
