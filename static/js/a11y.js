/* 朗读 (read aloud): an enhancement only. The button stays hidden unless this browser can
   speak (Web Speech API); the page never depends on it. It reads the main content in the
   page's language and stops on a second press. No inline script: CSP forbids it. */
(function () {
  "use strict";
  var button = document.querySelector(".a11y-read");
  var main = document.getElementById("main");
  if (!button || !main || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance !== "function") {
    return;
  }
  var label = button.textContent;
  var stopLabel = button.getAttribute("data-stop") || label;

  function idle() {
    button.textContent = label;
  }

  button.addEventListener("click", function () {
    if (window.speechSynthesis.speaking) {
      window.speechSynthesis.cancel();
      idle();
      return;
    }
    var utterance = new SpeechSynthesisUtterance(main.innerText);
    utterance.lang = document.documentElement.lang === "en" ? "en" : "zh-CN";
    utterance.onend = idle;
    utterance.onerror = idle;
    button.textContent = stopLabel;
    window.speechSynthesis.speak(utterance);
  });
  idle();
  button.hidden = false;
})();
