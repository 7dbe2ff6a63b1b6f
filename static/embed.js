// The compact timeline in another site's iframe: tell the page holding it how tall the content is, so
// that the frame can grow to fit (the snippet each timeline page offers listens for this message).
(function () {
  if (window.parent === window) return;
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "yeonpyo:height", height: height }, "*");
    }
  }
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.documentElement);
  window.addEventListener("load", send);
  send();
})();
