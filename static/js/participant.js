// Participant pages: small enhancements only (the pages work without JavaScript).
document.addEventListener("click", function (event) {
  var link = event.target.closest(".js-print");
  if (link) {
    event.preventDefault();
    window.print();
  }
});
