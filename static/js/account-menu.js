// The account menu in the header is a <details> element and works without JavaScript; this
// only closes it, as people expect of a menu, on a click elsewhere or on Escape.
(function () {
  "use strict";

  document.addEventListener("click", (event) => {
    for (const menu of document.querySelectorAll(".account-menu details[open]")) {
      if (!menu.contains(event.target)) menu.open = false;
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of document.querySelectorAll(".account-menu details[open]")) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();
