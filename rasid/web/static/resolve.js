// Keyboard shortcuts of the review screen: a key clicks the control that declares it in
// data-key (s same, n not the same, u unsure, z undo, j next, k previous). Keys typed in
// a text field are text; Escape leaves the field so the shortcuts work again.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" ||
      target.tagName === "SELECT" || target.isContentEditable);
    if (typing) {
      if (event.key === "Escape") { target.blur(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) { return; }
    var control = document.querySelector('[data-key="' + event.key.toLowerCase() + '"]');
    if (control) {
      event.preventDefault();
      control.click();
    }
  });
}());
