// PNG export of the monitoring pictures, done in the browser: the SVG shown on the page is
// drawn on a canvas (twice its size, for sharpness) and the canvas saved as a PNG file.
// Without JavaScript the pictures are still there, and downloadable as SVG.
(function () {
  "use strict";
  function save(svg, file) {
    var width = svg.width.baseVal.value || 800;
    var height = svg.height.baseVal.value || 600;
    var text = new XMLSerializer().serializeToString(svg);
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = width * 2;
      canvas.height = height * 2;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      var link = document.createElement("a");
      link.download = file;
      link.href = canvas.toDataURL("image/png");
      document.body.appendChild(link);
      link.click();
      link.remove();
    };
    // A data: address, which the page's content security policy allows for images.
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".png-export") : null;
    if (!button) { return; }
    var figure = button.closest("figure");
    var svg = figure ? figure.querySelector("svg") : null;
    if (svg) { save(svg, button.getAttribute("data-file") || "chart.png"); }
  });
}());
